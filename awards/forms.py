"""Input shape for the award pages. No rules here beyond field validation:
awards.services decides and refuses."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import YenField
from core.money import format_yen
from grants.models import ExpenseCategory

from .models import Award, ContinuationDecision, Payment, ScheduledPayment


class ContinuationForm(forms.Form):
    fiscal_year = forms.TypedChoiceField(label=_("Fiscal year"), coerce=int, choices=())
    decision = forms.ChoiceField(label=_("Decision"), choices=ContinuationDecision.Decision.choices,
                                 widget=forms.RadioSelect)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fiscal_year"].choices = [(y, str(y)) for y in years]


class YearBudgetForm(forms.Form):
    """One amount per eligible expense category of the round."""

    reason = forms.CharField(label=_("Reason"), required=False)

    def __init__(self, *args, categories=(), initial_amounts=None, **kwargs):
        super().__init__(*args, **kwargs)
        initial_amounts = initial_amounts or {}
        for category in categories:
            self.fields[f"amount_{category.code}"] = YenField(
                label=category.name, min_value=0, required=False,
                initial=initial_amounts.get(category.pk, 0),
            )
        self.categories = list(categories)

    def amounts(self) -> dict:
        return {c.code: self.cleaned_data.get(f"amount_{c.code}") or 0 for c in self.categories
                if self.cleaned_data.get(f"amount_{c.code}")}


class SchedulePaymentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ScheduledPayment.Kind.choices)
    due_on = forms.DateField(label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}))
    amount_yen = YenField(label=_("Amount (yen)"))
    note = forms.CharField(label=_("Note"), required=False, max_length=200)


class _ScheduledChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _("%(kind)s due %(date)s, %(amount)s") % {
            "kind": obj.get_kind_display(), "date": obj.due_on.isoformat(),
            "amount": format_yen(obj.amount_yen)}


class RecordPaymentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Payment.Kind.choices)
    paid_on = forms.DateField(label=_("Paid on"), widget=forms.DateInput(attrs={"type": "date"}))
    amount_yen = YenField(label=_("Amount (yen)"))
    scheduled = _ScheduledChoice(
        label=_("Settles the scheduled payment"), required=False,
        queryset=ScheduledPayment.objects.none(),
        help_text=_("Left empty, the payment settles the earliest open scheduled payment "
                    "of the same kind and amount, if any."),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=200)

    def __init__(self, *args, award_year=None, **kwargs):
        super().__init__(*args, **kwargs)
        if award_year is not None:
            self.fields["scheduled"].queryset = award_year.scheduled_payments.order_by(
                "due_on", "id")


class SettleForm(forms.Form):
    confirmed_yen = YenField(label=_("Confirmed amount (額の確定, yen)"), min_value=0)
    reason = forms.CharField(label=_("Note"), required=False)


class AwardStatusForm(forms.Form):
    to = forms.ChoiceField(label=_("New status"), choices=Award.Status.choices)
    reason = forms.CharField(label=_("Reason"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))


class DueDateForm(forms.Form):
    due_on = forms.DateField(label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Reason"), required=False)


class ChangeRequestForm(forms.Form):
    from_category = forms.ModelChoiceField(label=_("Move from"), queryset=ExpenseCategory.objects.none())
    to_category = forms.ModelChoiceField(label=_("Move to"), queryset=ExpenseCategory.objects.none())
    amount_yen = YenField(label=_("Amount to move (yen)"))
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, categories=None, **kwargs):
        super().__init__(*args, **kwargs)
        queryset = categories if categories is not None else ExpenseCategory.objects.all()
        self.fields["from_category"].queryset = queryset
        self.fields["to_category"].queryset = queryset


class ChangeDecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect,
                                 choices=[("approve", _("Approve")), ("reject", _("Reject"))])
    comment = forms.CharField(label=_("Comment"), required=False)
