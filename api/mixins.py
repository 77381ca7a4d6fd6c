"""Building blocks every API module reuses: scope-then-policy object lookup,
validated input, and input serializers that refuse unknown fields."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


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
