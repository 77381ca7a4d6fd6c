"""Forms of the findings pages and the oversight dashboard: input shape
only. The rules (theme and award of the programme, quotes really in the
report) live in reporting/findings/services.py."""

from django import forms
from django.utils.translation import gettext_lazy as _

from awards.models import Award, AwardYear
from core.prefectures import Prefecture
from grants.models import FundingRound, Programme, TargetGroup, Theme

from ..aggregates import COUNTED_STATUSES, OutcomeScope
from ..models import FeatureTag, IndicatorActual, ProgressReport
from .models import Finding, FindingEvidence


class _RoundLabelled(forms.ModelChoiceField):
    """Themes belong to a round; name the round in the option."""

    def label_from_instance(self, obj):
        return f"{obj.funding_round.title} — {obj}"


class _ReportChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.award.award_number} {obj.award.organisation.name} — " \
               f"{obj.get_kind_display()} FY{obj.fiscal_year}"


class _IndicatorChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.report.award.award_number} FY{obj.report.fiscal_year} — {obj.name}: " \
               f"{obj.actual if obj.actual is not None else '—'} {obj.unit}"


class OutcomeFilterForm(forms.Form):
    """Filters of the dashboard and of /api/v1/outcomes/."""

    programme = forms.ModelChoiceField(
        label=_("Programme"), required=False, queryset=Programme.objects.order_by("code"),
        empty_label=_("All programmes"),
    )
    funding_round = forms.ModelChoiceField(
        label=_("Funding round"), required=False,
        queryset=FundingRound.objects.select_related("programme").order_by("-fiscal_year", "id"),
        empty_label=_("All rounds"),
    )
    fiscal_year = forms.TypedChoiceField(
        label=_("Fiscal year"), required=False, coerce=int, empty_value=None,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        years = AwardYear.objects.order_by("-fiscal_year").values_list(
            "fiscal_year", flat=True).distinct()
        self.fields["fiscal_year"].choices = [("", _("All fiscal years"))] + [
            (year, _("FY%(year)s") % {"year": year}) for year in years
        ]

    def scope(self) -> OutcomeScope:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        programme, funding_round = data.get("programme"), data.get("funding_round")
        return OutcomeScope(
            programme_id=programme.pk if programme else None,
            funding_round_id=funding_round.pk if funding_round else None,
            fiscal_year=data.get("fiscal_year"),
        )


class FindingForm(forms.Form):
    """A finding's fields; the programme is fixed by the page."""

    kind = forms.ChoiceField(label=_("Type"), choices=Finding.Kind.choices)
    statement = forms.CharField(
        label=_("Statement"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What was learnt, in a few sentences others can act on."),
    )
    fiscal_year = forms.IntegerField(label=_("Fiscal year"), min_value=2000, max_value=2100)
    theme = _RoundLabelled(label=_("Theme"), required=False, queryset=Theme.objects.none())
    award = forms.ModelChoiceField(
        label=_("Award (project)"), required=False, queryset=Award.objects.none(),
        help_text=_("Leave empty for a finding drawn across several projects."),
    )
    target_groups = forms.ModelMultipleChoiceField(
        label=_("Target groups"), required=False, widget=forms.CheckboxSelectMultiple,
        queryset=TargetGroup.objects.filter(is_active=True),
    )
    feature_tags = forms.ModelMultipleChoiceField(
        label=_("Features"), required=False, widget=forms.CheckboxSelectMultiple,
        queryset=FeatureTag.objects.filter(is_active=True),
    )
    prefectures = forms.MultipleChoiceField(
        label=_("Prefectures"), required=False, choices=Prefecture.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = Theme.objects.filter(
            funding_round__programme=programme).select_related("funding_round")
        self.fields["award"].queryset = Award.objects.filter(
            funding_round__programme=programme).select_related("organisation")

    def service_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "lock_version"}
        data["target_groups"] = list(data["target_groups"])
        data["feature_tags"] = list(data["feature_tags"])
        return data


def initial_for(finding: Finding) -> dict:
    return {
        "kind": finding.kind, "statement": finding.statement, "fiscal_year": finding.fiscal_year,
        "theme": finding.theme_id, "award": finding.award_id,
        "target_groups": [g.pk for g in finding.target_groups.all()],
        "feature_tags": [t.pk for t in finding.feature_tags.all()],
        "prefectures": finding.prefectures, "lock_version": finding.lock_version,
    }


def _evidence_reports(finding: Finding):
    """Handed-in reports to quote: every year of the finding's award, or,
    for a finding across projects, the reports of its fiscal year (and
    theme), so the list stays short in a large programme."""
    reports = ProgressReport.objects.filter(
        award__funding_round__programme_id=finding.programme_id, status__in=COUNTED_STATUSES,
    ).select_related("award", "award__organisation").order_by(
        "award__award_number", "fiscal_year", "kind")
    if finding.award_id:
        return reports.filter(award_id=finding.award_id)
    reports = reports.filter(fiscal_year=finding.fiscal_year)
    if finding.theme_id:
        reports = reports.filter(award__theme_id=finding.theme_id)
    return reports


class PassageEvidenceForm(forms.Form):
    report = _ReportChoice(label=_("Report"), queryset=ProgressReport.objects.none())
    field = forms.ChoiceField(label=_("Part of the report"), choices=FindingEvidence.Field.choices)
    quote = forms.CharField(
        label=_("Quoted passage"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Copy the words exactly as they are in the report."),
    )

    def __init__(self, *args, finding: Finding, **kwargs):
        super().__init__(*args, prefix="passage", **kwargs)
        self.fields["report"].queryset = _evidence_reports(finding)


class IndicatorEvidenceForm(forms.Form):
    indicator_actual = _IndicatorChoice(
        label=_("Indicator result"), queryset=IndicatorActual.objects.none()
    )

    def __init__(self, *args, finding: Finding, **kwargs):
        super().__init__(*args, prefix="indicator", **kwargs)
        self.fields["indicator_actual"].queryset = IndicatorActual.objects.filter(
            report__in=_evidence_reports(finding)
        ).select_related("report__award").order_by("report__award__award_number",
                                                    "report__fiscal_year", "name")


class DeleteFindingForm(forms.Form):
    reason = forms.CharField(label=_("Reason (kept in the history)"), required=False,
                             max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class ProgrammeChoiceForm(forms.Form):
    programme = forms.ModelChoiceField(label=_("Programme"), queryset=Programme.objects.none())

    def __init__(self, *args, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes


class ModelReportForm(forms.Form):
    programme = forms.ModelChoiceField(label=_("Programme"), queryset=Programme.objects.order_by("code"))
    fiscal_year = forms.IntegerField(label=_("Fiscal year"), min_value=2000, max_value=2100)
