from core.errors import ApplicationError


class NotificationsError(ApplicationError):
    """Base for refusals of the notifications area."""


class PhoneError(NotificationsError):
    """A phone number or verification code was refused (invalid, not mobile, wrong, expired, too many)."""
