"""Building blocks every API module reuses: scope-then-policy object lookup,
validated input, input serializers that refuse unknown fields, and
optimistic locking with ETag / If-Match."""

import re

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers, status
from rest_framework.exceptions import APIException


class ScopedObjectMixin:
    """Scope first (404), then the view's policy (403).

    `get_scoped_object(Model.objects, pk=pk)` fetches from
    `queryset.visible_to(request.user)` and runs the view's object
    permissions (api.permissions.PolicyPermission).
    """

    def get_scoped_object(self, queryset, **lookup):
        obj = get_object_or_404(queryset.visible_to(self.request.user), **lookup)
        self.check_object_permissions(self.request, obj)
        return obj

    def validated_input(self, serializer_class, *, partial=False, **context):
        """Validate `request.data` (400 with per-field messages) and return
        the validated data."""
        serializer = serializer_class(
            data=self.request.data,
            partial=partial,
            context={"request": self.request, **context},
        )
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


class RejectUnknownFieldsMixin:
    """Input serializers answer 400 for keys they do not know, so a client
    that sends `status` to an edit endpoint learns it was not applied."""

    def validate(self, attrs):
        data = self.initial_data
        if hasattr(data, "keys"):
            unknown = sorted(set(data.keys()) - set(self.fields))
            if unknown:
                raise serializers.ValidationError(
                    {name: [_("Unknown field.")] for name in unknown}
                )
        return super().validate(attrs)


# --- Optimistic locking -------------------------------------------------------------

_IF_MATCH = re.compile(r'\s*(?:W/)?"?(\d+)"?\s*')


def etag_for(obj) -> str:
    """The ETag of an object with a `lock_version`: `"3"`."""
    return f'"{obj.lock_version}"'


def if_match_version(request) -> int | None:
    """The lock_version sent in If-Match (`"3"`, `W/"3"` or `3`): None without
    the header, -1 (which no version matches) when it names no version."""
    header = request.headers.get("If-Match")
    if header is None:
        return None
    match = _IF_MATCH.fullmatch(header)
    return int(match.group(1)) if match else -1


class PreconditionRequired(APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = _("Send If-Match with the ETag you last read.")
    default_code = "if_match_required"


class OptimisticLockMixin:
    """Writes must prove the client read the current version.

    Answers carry `ETag: "<lock_version>"` (`etag_for`); a write sends it back
    in If-Match. `require_if_match` answers 428 (Precondition Required) with
    `if_match_required_body` when the header is missing and returns the
    version sent; a version that is no longer current is refused with 412 by
    core.errors.StaleVersion (api.errors), raised by the service or the view.
    """

    # The body of the 428 answer: a dict, or a message answered as {"detail": …}.
    if_match_required_body = PreconditionRequired.default_detail
    # An If-Match that names no version: missing (428) or, when False, a
    # version that matches none (-1, so 412).
    unreadable_if_match_is_missing = True

    etag_for = staticmethod(etag_for)

    def require_if_match(self, request) -> int:
        version = if_match_version(request)
        if version is None or (version < 0 and self.unreadable_if_match_is_missing):
            raise PreconditionRequired(self.if_match_required_body)
        return version
