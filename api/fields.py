"""Serializer fields shared by the API modules."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

# Far above any budget; keeps absurd numbers out of PositiveBigIntegerField.
MAX_YEN = 10**15


class YenField(serializers.IntegerField):
    """A positive whole number of yen. Rejects fractions (1.5), booleans, text
    and zero or negative amounts; "2000000" (form data) is accepted."""

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
        return super().to_internal_value(data)
