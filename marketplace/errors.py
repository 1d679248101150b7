from taptime.errors import ApplicationError


class MarketplaceError(ApplicationError):
    """Base class for marketplace rule violations."""


class PhotoRejected(MarketplaceError):
    """An uploaded profile photo is not an acceptable image."""


class OfferingError(MarketplaceError):
    """An offering (session type or package) breaks a marketplace rule."""


class BookingError(MarketplaceError):
    """A booking request was refused; ``message`` is safe to show."""


class SlotTaken(BookingError):
    """Someone else holds or booked the time (or the learner already has a session then)."""


class AvailabilityError(MarketplaceError):
    """Weekly hours, days off or the scheduling policy break a rule; ``message`` is safe to show."""
