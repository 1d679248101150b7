from core.errors import ApplicationError


class LearningError(ApplicationError):
    """A refused change to the learner's goals, milestones, levels or preferences."""
