"""Map domain refusals to HTTP: DomainError → 409, StaleVersion → 412."""

from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import DomainError, StaleVersion


def exception_handler(exc, context):
    if isinstance(exc, StaleVersion):
        return Response(
            {"code": exc.code, "detail": str(exc.message)},
            status=status.HTTP_412_PRECONDITION_FAILED,
        )
    if isinstance(exc, DomainError):
        body = {"code": exc.code, "detail": str(exc.message)}
        if exc.field:
            body["field"] = exc.field
        return Response(body, status=status.HTTP_409_CONFLICT)
    return drf_exception_handler(exc, context)
