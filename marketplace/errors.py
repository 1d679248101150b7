from taptime.errors import ApplicationError


class MarketplaceError(ApplicationError):
    """Base class for marketplace rule violations."""


class PhotoRejected(MarketplaceError):
    """An uploaded profile photo is not an acceptable image."""


class OfferingError(MarketplaceError):
    """An offering (session type or package) breaks a marketplace rule."""
