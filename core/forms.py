"""Form fields shared by every app's forms."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .money import MAX_YEN, parse_yen


class YenField(forms.IntegerField):
    """Whole yen typed the way people type it (core.money.parse_yen):
    1,500,000 / ¥1,500,000 / 1500000円 / full-width digits / 150万 / 1億2000万.
    A text box (number inputs refuse separators and units); shown with
    thousands separators."""

    default_error_messages = {
        "invalid": _("Enter an amount in whole yen, e.g. 1,500,000 or 150万."),
        "min_value": _("Enter an amount of at least %(limit_value)s yen."),
        "max_value": _("Enter an amount of at most %(limit_value)s yen."),
    }
    widget = forms.TextInput

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_YEN)
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        # min/max/step belong to number inputs; a text box only gets a hint.
        for name in ("min", "max", "step"):
            attrs.pop(name, None)
        return {**attrs, "inputmode": "numeric", "autocomplete": "off"}

    def prepare_value(self, value):
        if isinstance(value, int) and not isinstance(value, bool):
            return f"{value:,}"
        return value

    def to_python(self, value):
        if value in self.empty_values or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        try:
            return parse_yen(value)
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
