"""Input shape of the application pages; rules live in applications.rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.fiscal import fiscal_year_label
from core.forms import YenField
from core.prefectures import Prefecture
from core.vocab import LegalForm
from grants.models import ExpenseCategory, TargetGroup

from .content import CONTENT_FIELDS
from .models import Application


class NewApplicationForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation applying"), queryset=None, empty_label=None,
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class ApplicationForm(forms.Form):
    """The proposal itself. Everything may be left blank in a draft; the
    round's rules say what is missing before submission."""

    lock_version = forms.IntegerField(widget=forms.HiddenInput)
    title = forms.CharField(label=_("Project title"), max_length=200, required=False)
    theme = forms.ModelChoiceField(label=_("Theme"), queryset=None, required=False)
    tier = forms.ModelChoiceField(label=_("Scale tier"), queryset=None, required=False)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 4}),
                              required=False)
    background = forms.CharField(
        label=_("Background and need"), widget=forms.Textarea(attrs={"rows": 6}), required=False
    )
    target_groups = forms.ModelMultipleChoiceField(
        label=_("Target groups"), queryset=None, required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    target_groups_other = forms.CharField(
        label=_("Other target group"), max_length=200, required=False
    )
    is_nationwide = forms.BooleanField(label=_("Nationwide"), required=False)
    prefectures = forms.MultipleChoiceField(
        label=_("Prefectures of activity"), choices=Prefecture.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    municipalities = forms.CharField(
        label=_("Municipalities"), max_length=500, required=False,
        help_text=_("Separate several with commas, e.g. 千代田区, 横浜市."),
    )
    planned_activities = forms.CharField(
        label=_("Planned activities"), widget=forms.Textarea(attrs={"rows": 6}), required=False
    )
    sustainability = forms.CharField(
        label=_("Sustainability after the grant"), widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    is_consortium = forms.BooleanField(label=_("Consortium application"), required=False)

    def __init__(self, *args, application: Application, **kwargs):
        super().__init__(*args, **kwargs)
        funding_round = application.funding_round
        self.fields["theme"].queryset = funding_round.themes.all()
        self.fields["tier"].queryset = funding_round.tiers.all()
        self.fields["target_groups"].queryset = TargetGroup.objects.filter(is_active=True)
        if not funding_round.consortium_allowed:
            del self.fields["is_consortium"]


def _year_choices(application: Application, used=()) -> list[tuple[int, str]]:
    # NOTE: years already in the draft stay selectable even when the round
    # changed since, so a re-rendered form never drops what was saved; the
    # rules warn about them instead.
    years = sorted(set(application.funding_round.fiscal_years) | set(used))
    return [("", "---------")] + [(year, fiscal_year_label(year)) for year in years]


class BudgetLineForm(forms.Form):
    fiscal_year = forms.TypedChoiceField(label=_("Fiscal year"), coerce=int)
    expense_category = forms.ModelChoiceField(label=_("Expense category"), queryset=None)
    amount_yen = YenField(label=_("Amount (yen)"))
    description = forms.CharField(label=_("Description"), max_length=300, required=False)

    def __init__(self, *args, application: Application, used_years=(), used_categories=(),
                 **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fiscal_year"].choices = _year_choices(application, used_years)
        enabled = application.funding_round.expense_categories.values("pk")
        self.fields["expense_category"].queryset = ExpenseCategory.objects.filter(
            pk__in=enabled
        ) | ExpenseCategory.objects.filter(pk__in=list(used_categories))


class IndicatorForm(forms.Form):
    name = forms.CharField(label=_("Indicator"), max_length=200)
    unit = forms.CharField(label=_("Unit"), max_length=30)
    fiscal_year = forms.TypedChoiceField(label=_("Fiscal year"), coerce=int)
    target = forms.IntegerField(label=_("Target"), min_value=0, max_value=2_000_000_000)

    def __init__(self, *args, application: Application, used_years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fiscal_year"].choices = _year_choices(application, used_years)


class ConsortiumMemberForm(forms.Form):
    name = forms.CharField(label=_("Organisation name"), max_length=200)
    legal_form = forms.ChoiceField(label=_("Legal form"), choices=LegalForm.choices)
    corporate_number = forms.CharField(
        label=_("Corporate number"), max_length=20, required=False,
        help_text=_("13 digits; leave blank for groups without one (任意団体)."),
    )
    role = forms.CharField(label=_("Role in the consortium"), max_length=200, required=False)


class _RowFormSet(forms.BaseFormSet):
    """Rows left completely blank are ignored, so spare rows cost nothing and
    clearing a row removes it."""

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "empty_permitted": True}

    def rows(self, *, valid_only: bool = False) -> list[dict]:
        """Rows to keep; with valid_only, rows in error are left out (the
        page keeps them, with their errors, for the applicant to fix)."""
        return [
            form.cleaned_data
            for form in self.forms
            if form.has_changed() and not self._should_delete_form(form)
            and not (valid_only and form.errors)
        ]

    def rows_usable(self) -> bool:
        """False when the rows as a whole are broken (management form, too many)."""
        return self.management_form.is_valid() and not self.non_form_errors()


def row_formset(form_class, *, extra: int):
    return forms.formset_factory(
        form_class, formset=_RowFormSet, extra=extra, can_delete=True, max_num=200,
        absolute_max=300, validate_max=True,
    )


BudgetLineFormSet = row_formset(BudgetLineForm, extra=2)
IndicatorFormSet = row_formset(IndicatorForm, extra=1)
ConsortiumMemberFormSet = row_formset(ConsortiumMemberForm, extra=1)


class ApplicationEditor:
    """The edit page's form and its three row formsets, bound or initial.

    `content()` turns valid input into the plain content the draft service
    takes (applications.content).
    """

    prefixes = {"budget_lines": "lines", "indicators": "indicators",
                "consortium_members": "members"}

    def __init__(self, application: Application, data=None, initial_content: dict | None = None):
        self.application = application
        funding_round = application.funding_round
        content = initial_content or {}
        used_years = {row["fiscal_year"] for row in content.get("budget_lines", [])} | {
            row["fiscal_year"] for row in content.get("indicators", [])
        }
        used_categories = {row["expense_category_id"] for row in content.get("budget_lines", [])}
        initial = None
        if data is None:
            initial = {
                **{f: content.get(f) for f in CONTENT_FIELDS if f in content},
                "theme": content.get("theme_id"),
                "tier": content.get("tier_id"),
                "target_groups": content.get("target_group_ids", []),
                "lock_version": application.lock_version,
            }
        self.form = ApplicationForm(data, application=application, initial=initial)
        self.lines = BudgetLineFormSet(
            data, prefix="lines",
            initial=None if data is not None else [
                {**row, "expense_category": row["expense_category_id"]}
                for row in content.get("budget_lines", [])
            ],
            form_kwargs={"application": application, "used_years": used_years,
                         "used_categories": used_categories},
        )
        self.indicators = IndicatorFormSet(
            data, prefix="indicators",
            initial=None if data is not None else content.get("indicators", []),
            form_kwargs={"application": application, "used_years": used_years},
        )
        self.members = None
        if funding_round.consortium_allowed:
            self.members = ConsortiumMemberFormSet(
                data, prefix="members",
                initial=None if data is not None else content.get("consortium_members", []),
            )

    @property
    def parts(self):
        return [p for p in (self.form, self.lines, self.indicators, self.members) if p is not None]

    def is_valid(self) -> bool:
        # Validate every part, so that all errors show at once.
        results = [part.is_valid() for part in self.parts]
        return all(results)

    def errors(self) -> dict:
        """{field or row: [messages]} for JSON answers."""
        result = {}
        for name, errors in self.form.errors.items():
            label = self.form.fields[name].label if name in self.form.fields else name
            result[name] = [f"{label}: {e}" for e in errors]
        for prefix, formset in (("lines", self.lines), ("indicators", self.indicators),
                                ("members", self.members)):
            if formset is None:
                continue
            for index, form in enumerate(formset.forms):
                for name, errors in form.errors.items():
                    label = form.fields[name].label if name in form.fields else name
                    result[f"{prefix}-{index}-{name}"] = [f"{label}: {e}" for e in errors]
            if formset.non_form_errors():
                result[prefix] = list(formset.non_form_errors())
        return result

    @property
    def lock_version(self):
        return self.form.cleaned_data.get("lock_version")

    # Content keys of the form fields whose names differ.
    CONTENT_KEYS = {"theme": "theme_id", "tier": "tier_id", "target_groups": "target_group_ids"}

    def can_save_valid_part(self) -> bool:
        """An invalid editor can still save its valid fields and rows, unless
        the version it is based on is unknown."""
        return "lock_version" not in self.form.errors and self.form.is_bound

    def valid_content(self) -> dict:
        """What is valid of an invalid editor: fields in error and tables
        broken as a whole are left out (the stored values stay), rows in
        error are left out of their table."""
        content = self.content(valid_only=True)
        for name in self.form.errors:
            content.pop(self.CONTENT_KEYS.get(name, name), None)
        for key, formset in (("budget_lines", self.lines), ("indicators", self.indicators),
                             ("consortium_members", self.members)):
            if formset is not None and not formset.rows_usable():
                content.pop(key, None)
        return content

    def content(self, *, valid_only: bool = False) -> dict:
        data = self.form.cleaned_data
        content = {
            **{f: data.get(f, "") for f in (
                "title", "summary", "background", "target_groups_other", "municipalities",
                "planned_activities", "sustainability",
            )},
            "is_nationwide": bool(data.get("is_nationwide")),
            "theme_id": data["theme"].pk if data.get("theme") else None,
            "tier_id": data["tier"].pk if data.get("tier") else None,
            "target_group_ids": [g.pk for g in data.get("target_groups") or []],
            "prefectures": list(data.get("prefectures") or []),
            "budget_lines": [
                {"fiscal_year": row["fiscal_year"],
                 "expense_category_id": row["expense_category"].pk,
                 "amount_yen": row["amount_yen"], "description": row.get("description", "")}
                for row in self.lines.rows(valid_only=valid_only)
            ],
            "indicators": [
                {k: row[k] for k in ("name", "unit", "fiscal_year", "target")}
                for row in self.indicators.rows(valid_only=valid_only)
            ],
        }
        if self.members is not None:
            content["is_consortium"] = bool(data.get("is_consortium"))
            content["consortium_members"] = [
                {k: row.get(k, "") for k in ("name", "legal_form", "corporate_number", "role")}
                for row in self.members.rows(valid_only=valid_only)
            ]
        return content


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File"), help_text=_(
        "PDF, Word, Excel, PNG or JPEG."
    ))


class ScreeningForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Screening decision"),
        choices=[("eligible", _("Eligible")), ("ineligible", _("Ineligible"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
        help_text=_("Required when ineligible."),
    )


class ReturnForm(forms.Form):
    note = forms.CharField(
        label=_("Note to the applicant"), widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Say what to correct; the applicant sees this note."),
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class DeclarationForm(forms.Form):
    """The declaration (誓約) an applicant ticks before submitting."""

    declaration = forms.BooleanField(
        label=_("I declare that everything in this application is true, that the organisation "
                "meets the eligibility requirements of the call and is not an organised crime "
                "group or connected with one (反社会的勢力), and I agree to the terms of the call."),
        error_messages={"required": _("Tick the declaration to submit.")},
    )
    idempotency_key = forms.CharField(required=False, widget=forms.HiddenInput)
