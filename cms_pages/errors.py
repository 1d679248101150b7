from core.errors import ApplicationError


class SiteFormError(ApplicationError):
    """Base for errors of the public site's forms."""


class FormRateLimited(SiteFormError):
    """Too many submissions from one address in the current window."""
