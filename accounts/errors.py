from core.errors import ApplicationError


class AccountsError(ApplicationError):
    """Base for refusals of the account area."""


class EnrolmentLinkLimited(AccountsError):
    """Too many second-factor set-up links asked for in the current window."""
