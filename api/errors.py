"""Map domain refusals to HTTP: InvalidInput → 400 naming the field,
DomainError → 409, StaleVersion → 412."""

from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import DomainError, InvalidInput, StaleVersion


def exception_handler(exc, context):
    if isinstance(exc, StaleVersion):
        return Response(
            {"code": exc.code, "detail": str(exc.message)},
            status=status.HTTP_412_PRECONDITION_FAILED,
        )
    if isinstance(exc, InvalidInput):
        return Response(
            {exc.field or "non_field_errors": [str(exc.message)]},
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, DomainError):
        body = {"code": exc.code, "detail": str(exc.message)}
        if exc.field:
            body["field"] = exc.field
        return Response(body, status=status.HTTP_409_CONFLICT)
    return drf_exception_handler(exc, context)


class DomainErrorOutput(serializers.Serializer):
    """Body of a 409 (refused, nothing changed) or 412 (stale version)."""

    code = serializers.CharField(help_text="Stable machine-readable reason, e.g. bad_transition.")
    detail = serializers.CharField(help_text="Translated message for people.")
    field = serializers.CharField(
        required=False, help_text="The input field the refusal is about, when there is one."
    )


class DetailOutput(serializers.Serializer):
    """Body of a 401, 403 or 404."""

    detail = serializers.CharField()
