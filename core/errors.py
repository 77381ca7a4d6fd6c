"""Errors that services raise and every interface maps the same way."""


class DomainError(Exception):
    """A refused action: nothing changed. The API answers 409 with `code`."""

    def __init__(self, message, *, code: str, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.code = code
        self.field = field

    def __str__(self) -> str:
        return str(self.message)


class StaleVersion(DomainError):
    """The object changed since the client read it (API: 412)."""

    def __init__(self, message, *, code: str = "stale_version"):
        super().__init__(message, code=code)
