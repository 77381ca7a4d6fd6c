"""Input shape for the award and report pages. No rules here beyond field
validation: services decide and refuse."""

from django import forms
from django.utils.translation import gettext_lazy as _

from awards.models import Award
from core.forms import YenField
from core.prefectures import Prefecture
from grants.models import FundingRound, Programme, TargetGroup

from .models import FeatureTag, ProgressReport
from .queries import AWARD_SORTS
from .services import TEXT_FIELDS

YES_NO = [("", _("Any")), ("yes", _("Yes")), ("no", _("No"))]


class AwardFilterForm(forms.Form):
    programme = forms.ModelChoiceField(
        label=_("Programme"), queryset=Programme.objects.all(), required=False
    )
    funding_round = forms.ModelChoiceField(
        label=_("Funding round"), queryset=FundingRound.objects.all(), required=False
    )
    fiscal_year = forms.IntegerField(label=_("Fiscal year"), required=False, min_value=2000,
                                     max_value=2100)
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("Any"))] + list(Award.Status.choices))
    overdue = forms.ChoiceField(label=_("Overdue reports"), required=False, choices=YES_NO)
    prefecture = forms.ChoiceField(label=_("Prefecture"), required=False,
                                   choices=[("", _("Any"))] + list(Prefecture.choices))
    sort = forms.ChoiceField(
        label=_("Sort by"), required=False,
        choices=[(key, label) for key, (label, _order) in AWARD_SORTS.items()],
    )

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        overdue = {"yes": True, "no": False}.get(data.get("overdue") or "")
        return {
            "programme": data.get("programme"), "funding_round": data.get("funding_round"),
            "fiscal_year": data.get("fiscal_year"), "status": data.get("status") or None,
            "overdue": overdue, "prefecture": data.get("prefecture") or None,
            "sort": data.get("sort") or None,
        }


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), widget=forms.RadioSelect,
        choices=[("accept", _("Accept")), ("revise", _("Request revision"))],
    )
    comment = forms.CharField(label=_("Comment to the organisation"), required=False,
                              widget=forms.Textarea(attrs={"rows": 4}))


class PersonalDataForm(forms.Form):
    reason = forms.CharField(label=_("Why this information may stay"),
                             widget=forms.Textarea(attrs={"rows": 2}))


# --- The report form -------------------------------------------------------------

TEXT_LABELS = {field: ProgressReport._meta.get_field(field).verbose_name for field in TEXT_FIELDS}


class ActivityForm(forms.Form):
    name = forms.CharField(label=_("Activity"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    sessions_held = forms.IntegerField(label=_("Sessions held"), min_value=0, initial=0)
    participants_total = forms.IntegerField(label=_("Cumulative participants (延べ人数)"),
                                            min_value=0, initial=0)

    def __init__(self, *args, target_groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.target_groups = list(target_groups)
        for group in self.target_groups:
            self.fields[f"group_{group.code}"] = forms.IntegerField(
                label=group.name, min_value=0, required=False
            )

    def main_fields(self):
        names = ["name", "description", "sessions_held", "participants_total"]
        if "DELETE" in self.fields:
            names.append("DELETE")
        return [self[name] for name in names]

    def group_fields(self):
        return [self[f"group_{g.code}"] for g in self.target_groups]

    def to_data(self) -> dict:
        data = self.cleaned_data
        return {
            "name": data["name"], "description": data.get("description") or "",
            "sessions_held": data.get("sessions_held") or 0,
            "participants_total": data.get("participants_total") or 0,
            "participants_by_group": {
                g.code: data[f"group_{g.code}"] for g in self.target_groups
                if data.get(f"group_{g.code}")
            },
        }


ActivityFormSet = forms.formset_factory(ActivityForm, extra=1, can_delete=True)


class ReportForm(forms.Form):
    """Text, feature tags, indicator actuals and expense actuals of a report;
    activities come in an ActivityFormSet beside it."""

    lock_version = forms.IntegerField(widget=forms.HiddenInput)
    feature_tags = forms.ModelMultipleChoiceField(
        label=_("Features"), required=False, to_field_name="code",
        queryset=FeatureTag.objects.filter(is_active=True), widget=forms.CheckboxSelectMultiple,
    )
    target_groups = forms.ModelMultipleChoiceField(
        label=_("Target groups reached"), required=False, to_field_name="code",
        queryset=TargetGroup.objects.filter(is_active=True), widget=forms.CheckboxSelectMultiple,
        help_text=_("Name the groups even where activities do not count them separately."),
    )

    def __init__(self, *args, report: ProgressReport, **kwargs):
        super().__init__(*args, **kwargs)
        self.report = report
        for field in TEXT_FIELDS:
            self.fields[field] = forms.CharField(
                label=TEXT_LABELS[field], required=False,
                widget=forms.Textarea(attrs={"rows": 4, "data-privacy-check": "1"}),
            )
        self.indicator_rows = list(report.indicator_actuals.all())
        for row in self.indicator_rows:
            self.fields[f"ind_{row.pk}_actual"] = forms.IntegerField(
                label=_("%(name)s: actual") % {"name": row.name}, min_value=0, required=False
            )
            self.fields[f"ind_{row.pk}_note"] = forms.CharField(
                label=_("%(name)s: note") % {"name": row.name}, required=False, max_length=500
            )
        self.expense_rows = list(report.expense_actuals.all()) if report.has_expenses else []
        for row in self.expense_rows:
            code = row.expense_category.code
            self.fields[f"exp_{code}_actual_yen"] = YenField(
                label=_("%(category)s: actual (yen)") % {"category": row.expense_category.name},
                min_value=0, required=False,
            )
            self.fields[f"exp_{code}_explanation"] = forms.CharField(
                label=_("%(category)s: explanation") % {"category": row.expense_category.name},
                required=False, widget=forms.Textarea(attrs={"rows": 2}),
            )

    @classmethod
    def initial_for(cls, report: ProgressReport) -> dict:
        initial = {field: getattr(report, field) for field in TEXT_FIELDS}
        initial["lock_version"] = report.lock_version
        initial["feature_tags"] = [t.code for t in report.feature_tags.all()]
        initial["target_groups"] = [g.code for g in report.target_groups.all()]
        for row in report.indicator_actuals.all():
            initial[f"ind_{row.pk}_actual"] = row.actual
            initial[f"ind_{row.pk}_note"] = row.note
        for row in report.expense_actuals.all():
            code = row.expense_category.code
            initial[f"exp_{code}_actual_yen"] = row.actual_yen
            initial[f"exp_{code}_explanation"] = row.explanation
        return initial

    def text_fields(self):
        return [self[field] for field in TEXT_FIELDS]

    def indicator_fields(self):
        return [(row, self[f"ind_{row.pk}_actual"], self[f"ind_{row.pk}_note"])
                for row in self.indicator_rows]

    def expense_fields(self):
        return [(row, self[f"exp_{row.expense_category.code}_actual_yen"],
                 self[f"exp_{row.expense_category.code}_explanation"])
                for row in self.expense_rows]

    def to_data(self, activities: list[dict] | None) -> dict:
        data = self.cleaned_data
        result = {field: data.get(field) or "" for field in TEXT_FIELDS}
        result["feature_tags"] = [t.code for t in data.get("feature_tags") or []]
        result["target_groups"] = [g.code for g in data.get("target_groups") or []]
        result["indicator_actuals"] = [
            {"id": row.pk, "actual": data.get(f"ind_{row.pk}_actual"),
             "note": data.get(f"ind_{row.pk}_note") or ""}
            for row in self.indicator_rows
        ]
        result["expense_actuals"] = [
            {"expense_category": row.expense_category.code,
             "actual_yen": data.get(f"exp_{row.expense_category.code}_actual_yen") or 0,
             "explanation": data.get(f"exp_{row.expense_category.code}_explanation") or ""}
            for row in self.expense_rows
        ]
        if activities is not None:
            result["activities"] = activities
        return result


def activity_initial(report: ProgressReport) -> list[dict]:
    rows = []
    for activity in report.activities.all():
        row = {"name": activity.name, "description": activity.description,
               "sessions_held": activity.sessions_held,
               "participants_total": activity.participants_total}
        for count in activity.participant_counts.all():
            row[f"group_{count.target_group.code}"] = count.count
        rows.append(row)
    return rows


def activities_from(formset) -> list[dict]:
    return [
        form.to_data() for form in formset.forms
        if form.cleaned_data.get("name") and not form.cleaned_data.get("DELETE")
    ]
