"""The one root of the domain error hierarchy; each app subclasses it."""


class ApplicationError(Exception):
    """A rule of the domain refused the request; the message is safe to show the user."""

    def __init__(self, message: str, *, extra: dict | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra or {}
