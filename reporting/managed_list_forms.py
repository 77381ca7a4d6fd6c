"""Input shape of the managed-list pages (codes are checked by the service)."""

from django import forms
from django.utils.translation import gettext_lazy as _


class ListItemForm(forms.Form):
    code = forms.CharField(
        label=_("Code"), max_length=40,
        help_text=_("Lower-case letters, digits, - or _. It cannot change later: "
                    "applications, reports and the API use it."),
    )
    name_ja = forms.CharField(label=_("Name (Japanese)"), max_length=100)
    name_en = forms.CharField(label=_("Name (English)"), max_length=100, required=False)
    sort_order = forms.IntegerField(label=_("Order"), min_value=0, max_value=32767, initial=100)
    is_active = forms.BooleanField(
        label=_("Active (offered in new applications and reports)"), required=False,
        initial=True)
    reason = forms.CharField(label=_("Reason for the change"), required=False, max_length=500)

    def __init__(self, *args, item=None, **kwargs):
        super().__init__(*args, **kwargs)
        if item is not None:
            self.fields["code"].disabled = True
            self.fields["code"].help_text = _("A code cannot change.")
        else:
            del self.fields["reason"]

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("reason", None)
        return data
