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


class InvalidInput(DomainError):
    """The input breaks a rule of the domain (a closing time before the
    opening, a minimum above the maximum): nothing changed. The rule lives
    in the service; the API answers 400 naming the field, as it does for
    input of the wrong shape, so serializers only parse shape."""


class StaleVersion(DomainError):
    """The object changed since the client read it (API: 412)."""

    def __init__(self, message, *, code: str = "stale_version"):
        super().__init__(message, code=code)
