"""Serializer fields shared by the API modules."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.managed_lists import lookup_code_or_id
from core.money import MAX_YEN, parse_yen


class YenField(serializers.IntegerField):
    """A whole number of yen (positive unless min_value says otherwise).
    Rejects fractions (1.5), booleans and out-of-range amounts; text is read
    as the pages read it (core.money.parse_yen: "2,000,000", "１００万", "1億").
    NOTE: the schema still says integer, the form clients should send."""

    default_error_messages = {
        "invalid": _("Enter a whole number of yen."),
        "min_value": _("Enter an amount of at least %(limit_value)s yen."),
        "max_value": _("Enter an amount of at most %(limit_value)s yen."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_YEN)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        # NOTE: DRF's IntegerField turns 2.0 and True into integers; money
        # sent as a float or a boolean is a client bug, so refuse it.
        if isinstance(data, bool | float):
            self.fail("invalid")
        if isinstance(data, str):
            try:
                data = parse_yen(data)
            except ValueError:
                self.fail("invalid")
        return super().to_internal_value(data)


@extend_schema_field({"oneOf": [{"type": "string"}, {"type": "integer"}],
                      "description": "The item's code (e.g. \"personnel\"); its id also works."})
class CodeOrIdRelatedField(serializers.RelatedField):
    """A managed-list item (expense category, target group, feature tag)
    named by its stable code, as every answer names it; a database id is
    still accepted for compatibility. Answers with the code."""

    default_error_messages = {
        "does_not_exist": _("No item with the code “%(value)s”."),
        "incorrect_type": _("Send the item's code as text."),
    }

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, str | int):
            self.fail("incorrect_type")
        queryset = self.get_queryset()
        try:
            return lookup_code_or_id(queryset, data)
        except queryset.model.DoesNotExist:
            self.fail("does_not_exist", value=data)

    def to_representation(self, value):
        return value.code
