from core.errors import ApplicationError


class BookingsError(ApplicationError):
    """Base class for the bookings app's rule violations; ``message`` is safe to show."""


class BookingError(BookingsError):
    """A booking request was refused; ``message`` is safe to show."""


class SlotTaken(BookingError):
    """Someone else holds or booked the time (or the learner already has a session then)."""


class AvailabilityError(BookingsError):
    """Weekly hours, days off or the scheduling policy break a rule; ``message`` is safe to show."""


class HoldLimitReached(BookingError):
    """The learner reached a limit on holds (``bookings.services.limits``); ``code`` names the limit."""


class SessionToolError(BookingsError):
    """A goals note, questionnaire answer, note or resource was refused; ``message`` is safe to show."""


class NoteChanged(SessionToolError):
    """The note was saved elsewhere since this copy was loaded; the user reloads instead of overwriting."""


class SessionReportError(BookingsError):
    """A report on a past session or a decision on it was refused; ``message`` is safe to show."""


class RecordingError(BookingsError):
    """Consent to recording, or a recording file, was refused; ``message`` is safe to show."""


class RecordingDownloadFailed(RecordingError):
    """The provider's file could not be fetched (network, HTTP status): worth retrying later."""


class MessageError(BookingsError):
    """A message, question, report, block or attachment was refused; ``message`` is safe to show."""
