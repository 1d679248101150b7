from core.errors import ApplicationError


class ReviewError(ApplicationError):
    """A rating, reply or report was refused; ``message`` is safe to show."""
