"""Input shape of the round pages. Rules live in grants.services: these forms
only turn typed text into values (yen, Japan time) and never save."""

import unicodedata
from zoneinfo import ZoneInfo

from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import YenField
from core.vocab import LegalForm

from .models import ExpenseCategory, FundingRound

JST = ZoneInfo("Asia/Tokyo")


class JapanDateTimeField(forms.DateTimeField):
    """A datetime-local input read and shown in Japan time (Asia/Tokyo),
    whatever time zone is active."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", _("Japan time (JST), e.g. 2023-05-31 17:00."))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        with timezone.override(JST):
            return super().prepare_value(value)

    def to_python(self, value):
        with timezone.override(JST):
            return super().to_python(value)


def _reason_field():
    return forms.CharField(
        label=_("Reason for the change"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Required when the round is published and has applications; "
            "kept in the round's history."
        ),
    )


class RoundForm(forms.Form):
    """Fields of a funding round, shared by the create and edit pages."""

    fiscal_year = forms.IntegerField(
        label=_("Fiscal year"), help_text=_("Gregorian year in which the fiscal year starts, e.g. 2023.")
    )
    title_ja = forms.CharField(label=_("Title (Japanese)"), max_length=200)
    title_en = forms.CharField(label=_("Title (English)"), max_length=200, required=False)
    description_ja = forms.CharField(
        label=_("Description (Japanese)"), required=False, widget=forms.Textarea
    )
    description_en = forms.CharField(
        label=_("Description (English)"), required=False, widget=forms.Textarea
    )
    opens_at = JapanDateTimeField(label=_("Opens at"))
    closes_at = JapanDateTimeField(label=_("Closes at"))
    budget_yen = YenField(
        label=_("Total budget (yen)"), help_text=_("Whole yen, e.g. 115,000,000 or 1億1500万.")
    )
    max_award_years = forms.IntegerField(
        label=_("Maximum award years"), help_text=_("1 to 5 fiscal years.")
    )
    ceiling_basis = forms.ChoiceField(
        label=_("The ceiling applies"), choices=FundingRound.CeilingBasis.choices,
        widget=forms.RadioSelect,
    )
    expense_categories = forms.ModelMultipleChoiceField(
        label=_("Eligible expense categories"),
        queryset=ExpenseCategory.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    allowed_legal_forms = forms.MultipleChoiceField(
        label=_("Allowed legal forms"),
        choices=LegalForm.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick none to let every legal form apply."),
    )
    consortium_allowed = forms.BooleanField(label=_("Consortia may apply"), required=False)
    min_prefectures = forms.IntegerField(
        label=_("Minimum prefectures of activity area"),
        help_text=_("1 to 47. A nationwide activity area satisfies any minimum."),
    )
    budget_change_threshold_percent = forms.IntegerField(
        label=_("Budget change threshold (%)"),
        help_text=_("Moves between expense categories up to this share are approved automatically."),
    )

    round_fields = (
        "fiscal_year", "title_ja", "title_en", "description_ja", "description_en", "opens_at",
        "closes_at", "budget_yen", "max_award_years", "ceiling_basis", "expense_categories",
        "allowed_legal_forms", "consortium_allowed", "min_prefectures",
        "budget_change_threshold_percent",
    )

    def __init__(self, *args, funding_round: FundingRound | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        keep = Q(is_active=True)
        if funding_round is not None:
            # Keep categories a round already uses even after they are retired
            # (EXISTS, not a join and DISTINCT: issue 12).
            keep |= Q(Exists(FundingRound.expense_categories.through.objects.filter(
                fundinground_id=funding_round.pk, expensecategory_id=OuterRef("pk"))))
        self.fields["expense_categories"].queryset = ExpenseCategory.objects.filter(
            keep
        ).order_by("sort_order", "code")

    def round_values(self) -> dict:
        """Keyword arguments for grants.services.create_round / update_round."""
        values = {name: self.cleaned_data[name] for name in self.round_fields}
        values["allowed_legal_forms"] = list(values["allowed_legal_forms"])
        values["expense_categories"] = list(values["expense_categories"])
        return values

    @staticmethod
    def initial_for(funding_round: FundingRound) -> dict:
        initial = {name: getattr(funding_round, name) for name in RoundForm.round_fields
                   if name != "expense_categories"}
        initial["expense_categories"] = list(funding_round.expense_categories.all())
        return initial


class RoundCreateForm(RoundForm):
    programme = forms.ModelChoiceField(label=_("Programme"), queryset=None)

    field_order = ["programme"]

    def __init__(self, *args, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes


class RoundEditForm(RoundForm):
    reason = _reason_field()


class ThemeForm(forms.Form):
    number = forms.IntegerField(label=_("Number"), min_value=1)
    title_ja = forms.CharField(label=_("Title (Japanese)"), max_length=300)
    title_en = forms.CharField(label=_("Title (English)"), max_length=300, required=False)
    example_activities = forms.CharField(
        label=_("Example activities"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    min_awards = forms.IntegerField(
        label=_("Target number of awards: minimum"), required=False, min_value=0
    )
    max_awards = forms.IntegerField(
        label=_("Target number of awards: maximum"), required=False, min_value=0
    )
    reason = _reason_field()

    part_fields = ("number", "title_ja", "title_en", "example_activities", "min_awards", "max_awards")

    def part_values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.part_fields}


class TierForm(forms.Form):
    code = forms.SlugField(
        label=_("Code"), max_length=30, help_text=_("Short id, e.g. municipal.")
    )
    name_ja = forms.CharField(label=_("Name (Japanese)"), max_length=100)
    name_en = forms.CharField(label=_("Name (English)"), max_length=100, required=False)
    area_description = forms.CharField(label=_("Area"), max_length=200, required=False)
    ceiling_yen = YenField(label=_("Ceiling (yen)"),
                           help_text=_("Whole yen, e.g. 2,000,000 or 200万."))
    sort_order = forms.IntegerField(label=_("Order"), min_value=0, initial=0)
    reason = _reason_field()

    part_fields = ("code", "name_ja", "name_en", "area_description", "ceiling_yen", "sort_order")

    def part_values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.part_fields}


class ReasonForm(forms.Form):
    reason = _reason_field()


class TransitionForm(forms.Form):
    ACTIONS = ("open", "close", "start_review", "decide", "archive")

    action = forms.ChoiceField(choices=[(a, a) for a in ACTIONS])
    reason = _reason_field()


class CopyRoundForm(forms.Form):
    fiscal_year = forms.IntegerField(
        label=_("Fiscal year of the copy"),
        help_text=_("Dates move by the difference in years; the copy starts as a draft."),
    )


class ReportingDefaultsForm(forms.Form):
    """A round's reporting schedule defaults; ranges are checked by
    grants.reporting_defaults.save_reporting_defaults."""

    interim_due_month = forms.IntegerField(
        label=_("Interim report (中間報告) due: month"), help_text=_("1 to 12, e.g. 10 for October.")
    )
    interim_due_day = forms.IntegerField(
        label=_("Interim report (中間報告) due: day"),
        help_text=_("Day of that month, e.g. 31. In a shorter month the last day is used."),
    )
    annual_due_days = forms.IntegerField(
        label=_("Annual performance report (実績報告) due: days after the fiscal year ends"),
        help_text=_("0 to 365, counted from 31 March, e.g. 30."),
    )
    final_due_days = forms.IntegerField(
        label=_("Final report due: days after the award ends"),
        help_text=_("0 to 365, e.g. 61."),
    )
    reminder_days_before = forms.CharField(
        label=_("Reminders: days before the due date"),
        help_text=_("Whole numbers separated by commas, e.g. 14, 3."),
    )
    expense_variance_percent = forms.IntegerField(
        label=_("Explain expenses differing from the budget by more than (%)"),
        help_text=_("0 to 100, e.g. 20."),
    )
    reason = forms.CharField(
        label=_("Reason for the change"), required=False,
        widget=forms.Textarea(attrs={"rows": 2}), help_text=_("Kept in the round's history."),
    )

    default_fields = (
        "interim_due_month", "interim_due_day", "annual_due_days", "final_due_days",
        "reminder_days_before", "expense_variance_percent",
    )

    def clean_reminder_days_before(self) -> list[int]:
        text = unicodedata.normalize("NFKC", self.cleaned_data["reminder_days_before"])
        parts = [p for p in text.replace("、", ",").replace(" ", ",").split(",") if p]
        try:
            return [int(p) for p in parts]
        except ValueError:
            raise forms.ValidationError(
                _("Enter whole numbers separated by commas, e.g. 14, 3."), code="invalid"
            ) from None

    def default_values(self) -> dict:
        """Keyword arguments for save_reporting_defaults."""
        return {name: self.cleaned_data[name] for name in self.default_fields}

    @classmethod
    def initial_for(cls, defaults) -> dict:
        initial = {name: getattr(defaults, name) for name in cls.default_fields}
        initial["reminder_days_before"] = ", ".join(str(d) for d in defaults.reminder_days)
        return initial
