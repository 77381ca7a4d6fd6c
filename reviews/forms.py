"""Input shape for the review pages; the services hold the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.corporate_number import validate_corporate_number
from core.forms import YenField
from core.prefectures import Prefecture

from .models import Decision, Recommendation

THEME_NUMBER_CHOICES = [(n, str(n)) for n in range(1, 11)]


class RubricSettingsForm(forms.Form):
    hide_scores_until_submitted = forms.BooleanField(
        label=_("Hide other reviewers' scores until one's own review is submitted"),
        required=False,
    )
    reviews_per_application = forms.IntegerField(
        label=_("Reviewers per application"), min_value=1, max_value=20
    )
    max_load = forms.IntegerField(label=_("Maximum applications per reviewer"), min_value=0,
                                  max_value=1000)
    min_load = forms.IntegerField(label=_("Minimum applications per reviewer"), min_value=0,
                                  max_value=1000)
    review_due_on = forms.DateField(
        label=_("Reviews due on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    disagreement_threshold_percent = forms.IntegerField(
        label=_("Disagreement threshold (% of the maximum total)"), min_value=0, max_value=100
    )
    funding_line_margin_percent = forms.IntegerField(
        label=_("Funding line margin (% of the maximum total)"), min_value=0, max_value=100
    )


class CriterionForm(forms.Form):
    name = forms.CharField(label=_("Criterion"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    weight = forms.IntegerField(label=_("Weight"), min_value=1, max_value=100, initial=1)
    scale_min = forms.IntegerField(label=_("Lowest score"), min_value=0, max_value=9, initial=1)
    scale_max = forms.IntegerField(label=_("Highest score"), min_value=1, max_value=10, initial=5)
    descriptors = forms.CharField(
        label=_("Descriptor per point (one line each, lowest first)"), required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def clean_descriptors(self):
        text = self.cleaned_data.get("descriptors") or ""
        return [line.strip() for line in text.splitlines() if line.strip()]


CriterionFormSet = forms.formset_factory(CriterionForm, extra=1, can_delete=True, max_num=30)


class CopyRubricForm(forms.Form):
    source = forms.ModelChoiceField(label=_("Copy the rubric of"), queryset=None)

    def __init__(self, *args, rounds=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = rounds


class ReviewerProfileForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    affiliation_name = forms.CharField(label=_("Affiliated organisation"), max_length=200,
                                       required=False)
    affiliation_corporate_number = forms.CharField(
        label=_("Affiliation's corporate number"), max_length=20, required=False,
        help_text=_("13 digits (法人番号); leave empty if the organisation has none."),
    )
    expertise_themes = forms.TypedMultipleChoiceField(
        label=_("Expertise (theme numbers)"), choices=THEME_NUMBER_CHOICES, coerce=int,
        required=False, widget=forms.CheckboxSelectMultiple,
    )
    prefectures = forms.MultipleChoiceField(
        label=_("Prefectures"), choices=Prefecture.choices, required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    is_active = forms.BooleanField(label=_("Active in the pool"), required=False, initial=True)

    def clean_affiliation_corporate_number(self):
        value = self.cleaned_data.get("affiliation_corporate_number") or ""
        return validate_corporate_number(value) if value.strip() else ""


class ManualAssignForm(forms.Form):
    application = forms.TypedChoiceField(label=_("Application"), coerce=int)
    reviewer = forms.TypedChoiceField(label=_("Reviewer"), coerce=int)
    due_on = forms.DateField(label=_("Due on"), required=False,
                             widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, applications=(), reviewers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].choices = [
            (a.pk, f"{a.receipt_number or a.pk} {a.title}") for a in applications
        ]
        self.fields["reviewer"].choices = [(p.user_id, str(p.user)) for p in reviewers]


class AutoAssignForm(forms.Form):
    k = forms.IntegerField(label=_("Reviewers per application"), min_value=1, max_value=20)
    max_load = forms.IntegerField(label=_("Maximum applications per reviewer"), min_value=0,
                                  max_value=1000)
    min_load = forms.IntegerField(label=_("Minimum applications per reviewer"), min_value=0,
                                  max_value=1000)
    due_on = forms.DateField(label=_("Due on"), required=False,
                             widget=forms.DateInput(attrs={"type": "date"}))


class ConflictForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the conflict of interest"), widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class ReviewForm(forms.Form):
    """One radio group per criterion (named criterion_<id>), plus the
    recommendation and the two comments. Every field is optional for a
    draft; the submit service checks completeness."""

    recommendation = forms.ChoiceField(
        label=_("Overall recommendation"), required=False,
        choices=[("", _("(not chosen yet)")), *Recommendation.choices],
    )
    comment_to_staff = forms.CharField(
        label=_("Comment to programme staff"), required=False, max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    comment_to_applicant = forms.CharField(
        label=_("Comment for the applicant (optional)"), required=False, max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shown to the applicant, without your name, after the decision."),
    )

    def __init__(self, *args, criteria=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"criterion_{criterion.pk}"] = forms.TypedChoiceField(
                label=criterion.name, required=False, coerce=int, empty_value=None,
                choices=[
                    (value, f"{value}: {descriptor}" if descriptor else str(value))
                    for value, descriptor in criterion.points
                ],
                widget=forms.RadioSelect, help_text=criterion.description,
            )
        # Comments after the scores.
        for name in ("recommendation", "comment_to_staff", "comment_to_applicant"):
            self.fields[name] = self.fields.pop(name)

    def criterion_fields(self):
        return [self[f"criterion_{c.pk}"] for c in self.criteria]

    def scores(self) -> dict[int, int | None]:
        return {c.pk: self.cleaned_data.get(f"criterion_{c.pk}") for c in self.criteria}


NOT_WAITING = _("This application is not waiting for a decision in this round; reload the page.")


class DecisionForm(forms.Form):
    application = forms.TypedChoiceField(label=_("Application"), coerce=int,
                                         error_messages={"invalid_choice": NOT_WAITING})
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Decision.Outcome.choices)
    amount_yen = YenField(
        label=_("Award amount (yen)"), required=False,
        help_text=_("Up to the requested amount; empty awards the requested amount."),
    )
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Appears in the decision notice sent to the applicant."),
    )

    def __init__(self, *args, applications=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].choices = [
            (a.id, f"{a.receipt_number or a.id} {a.title}") for a in applications
        ]


class BulkReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (for every decision in this batch)"), required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Appears in the decision notices sent to the applicants."),
    )


class DecisionRowForm(forms.Form):
    """One row of the proposal table: tick it, adjust the amount, choose the
    outcome. `application` is hidden and must be one waiting for a decision."""

    application = forms.TypedChoiceField(
        coerce=int, widget=forms.HiddenInput, label=_("Application"),
        error_messages={"invalid_choice": NOT_WAITING},
    )
    decide = forms.BooleanField(label=_("Decide"), required=False)
    amount_yen = YenField(label=_("Amount (yen)"), required=False)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Decision.Outcome.choices)

    def __init__(self, *args, applications=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].choices = [(a.id, a.receipt_number or a.id)
                                              for a in applications]


DecisionRowFormSet = forms.formset_factory(DecisionRowForm, extra=0, max_num=2000,
                                           validate_max=True)
