from core.errors import ApplicationError


class MarketplaceError(ApplicationError):
    """Base class for catalogue rule violations; ``message`` is safe to show."""


class PhotoRejected(MarketplaceError):
    """An uploaded profile photo is not an acceptable image."""


class OfferingError(MarketplaceError):
    """An offering (session type or package) breaks a marketplace rule."""


class ApplicationRefused(MarketplaceError):
    """An expert application cannot be started, changed or submitted in its current state."""


class ApplicationIncomplete(MarketplaceError):
    """An application misses answers it needs before it can be submitted; ``extra["missing"]`` lists them."""


class DocumentRejected(MarketplaceError):
    """An uploaded credential document is too big, of the wrong type, damaged or unsafe; it was not stored."""
