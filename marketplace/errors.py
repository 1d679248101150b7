from core.errors import ApplicationError


class MarketplaceError(ApplicationError):
    """Base class for catalogue rule violations; ``message`` is safe to show."""


class PhotoRejected(MarketplaceError):
    """An uploaded profile photo is not an acceptable image."""


class OfferingError(MarketplaceError):
    """An offering (session type or package) breaks a marketplace rule."""


class ReviewRefused(MarketplaceError):
    """A reviewer's action on an expert application is not allowed in its current state."""


class GoLiveRefused(MarketplaceError):
    """The expert cannot publish their page themselves (yet)."""
