from taptime.errors import ApplicationError


class BookingError(ApplicationError):
    """A booking request was refused; ``message`` is safe to show."""


class SlotTaken(BookingError):
    """Someone else holds or booked the time (or the learner already has a session then)."""
