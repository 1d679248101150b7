"""The one domain error hierarchy. Each app subclasses ``ApplicationError``.

Interfaces catch ``ApplicationError`` and show ``message`` to the user (or
return it as an API error); anything else is a bug and a 500.
"""


class ApplicationError(Exception):
    def __init__(self, message: str, *, code: str = "error", extra: dict | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.extra = extra or {}


class Busy(ApplicationError):
    """A lock could not be had in time: someone else is changing the same thing right now.

    Raised instead of waiting without bound (see ``core.locking``); every
    interface answers it with "busy, please try again", never a 500.
    """
