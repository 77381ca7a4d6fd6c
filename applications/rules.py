"""The round's rules for an application, in one place.

`application_problems` is called while editing (the problems are shown as
warnings after every save and autosave) and by `submit_application` (any
problem refuses the submission with code "rules_failed"). Each problem names
the field it is about, so pages can show it next to that field.
"""

from dataclasses import asdict, dataclass

from django.utils.text import capfirst
from django.utils.translation import gettext as _

from core.corporate_number import is_valid_corporate_number
from core.fiscal import fiscal_year_label
from core.money import format_yen
from core.prefectures import Prefecture
from core.vocab import LegalForm, corporate_number_required
from grants.rules import ceiling_breaches

from .content import editable_content, totals_by_year
from .models import Application, BudgetLine, ConsortiumMember, Indicator

REQUIRED_TEXT = ("title", "summary", "background", "planned_activities", "sustainability")


@dataclass(frozen=True)
class Problem:
    field: str
    code: str
    message: str

    def as_dict(self) -> dict:
        return asdict(self)


def _label(model, field: str) -> str:
    return str(capfirst(model._meta.get_field(field).verbose_name))


def application_problems(application: Application) -> list[Problem]:
    """Every rule the application breaks today; empty when it may be submitted."""
    return content_problems(
        editable_content(application),
        funding_round=application.funding_round,
        organisation=application.organisation,
    )


def content_problems(content: dict, *, funding_round, organisation) -> list[Problem]:
    """The rules over plain content (see applications.content)."""
    tiers = {tier.pk: tier for tier in funding_round.tiers.all()}
    theme_ids = {theme.pk for theme in funding_round.themes.all()}
    category_ids = {c.pk for c in funding_round.expense_categories.all()}
    problems = _required(content, theme_ids, tiers)
    problems += _activity_area(content, funding_round)
    problems += _budget(content, funding_round, category_ids, tiers.get(content.get("tier_id")))
    problems += _indicators(content, funding_round)
    problems += _consortium(content, funding_round)
    problems += _organisation(funding_round, organisation)
    return problems


def _required(content, theme_ids, tiers) -> list[Problem]:
    problems = []
    for field in REQUIRED_TEXT:
        if not (content.get(field) or "").strip():
            problems.append(Problem(field, "required", _("%(field)s is required.")
                                    % {"field": _label(Application, field)}))
    for field, valid_ids in (("theme", theme_ids), ("tier", set(tiers))):
        value = content.get(f"{field}_id")
        if value is None:
            problems.append(Problem(field, "required", _("%(field)s is required.")
                                    % {"field": _label(Application, field)}))
        elif value not in valid_ids:
            problems.append(Problem(
                field, "not_in_round",
                _("%(field)s: choose one offered by this funding round.")
                % {"field": _label(Application, field)},
            ))
    if not content.get("target_group_ids") and not (content.get("target_groups_other") or "").strip():
        problems.append(Problem(
            "target_groups", "required",
            _("%(field)s: choose at least one, or describe another.")
            % {"field": _label(Application, "target_groups")},
        ))
    if not content.get("budget_lines"):
        problems.append(Problem(
            "budget_lines", "required", _("Budget: add at least one budget line.")
        ))
    return problems


def _activity_area(content, funding_round) -> list[Problem]:
    """Nationwide satisfies any minimum; otherwise count distinct prefectures."""
    if content.get("is_nationwide"):
        return []
    codes = set(content.get("prefectures") or [])
    label = _label(Application, "prefectures")
    unknown = sorted(codes - set(Prefecture.values))
    if unknown:
        return [Problem("prefectures", "unknown_prefecture",
                        _("%(field)s: unknown prefecture code %(codes)s.")
                        % {"field": label, "codes": ", ".join(unknown)})]
    if not codes:
        return [Problem("prefectures", "required",
                        _("%(field)s: choose prefectures or mark the activity as nationwide.")
                        % {"field": label})]
    if len(codes) < funding_round.min_prefectures:
        return [Problem(
            "prefectures", "too_few_prefectures",
            _("%(field)s: this round needs activity in at least %(minimum)s prefectures "
              "(or nationwide); %(count)s chosen.")
            % {"field": label, "minimum": funding_round.min_prefectures, "count": len(codes)},
        )]
    return []


def _budget(content, funding_round, category_ids, tier) -> list[Problem]:
    lines = content.get("budget_lines") or []
    problems = []
    years = set(funding_round.fiscal_years)
    amount_label = _label(BudgetLine, "amount_yen")
    for number, line in enumerate(lines, 1):
        amount = line.get("amount_yen")
        if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
            problems.append(Problem(
                "budget_lines", "amount_not_positive",
                _("Budget line %(number)s: %(field)s must be a positive whole number of yen.")
                % {"number": number, "field": amount_label},
            ))
        if line.get("expense_category_id") not in category_ids:
            problems.append(Problem(
                "budget_lines", "category_not_enabled",
                _("Budget line %(number)s: this expense category is not eligible in this round.")
                % {"number": number},
            ))
        if line.get("fiscal_year") not in years:
            problems.append(Problem(
                "budget_lines", "fiscal_year_outside_round",
                _("Budget line %(number)s: %(year)s is outside the round's fiscal years "
                  "(%(first)s to %(last)s).")
                % {"number": number, "year": fiscal_year_label(line.get("fiscal_year")),
                   "first": fiscal_year_label(min(years)), "last": fiscal_year_label(max(years))},
            ))
    amounts_ok = not any(p.code == "amount_not_positive" for p in problems)
    if tier is None or not amounts_ok:
        return problems
    return problems + _ceiling(lines, funding_round, tier)


def _ceiling(lines, funding_round, tier) -> list[Problem]:
    """Total within the tier's ceiling, per fiscal year or per award
    (grants.rules.ceiling_breaches, which awards apply too)."""
    problems = []
    for breach in ceiling_breaches(funding_round, tier, totals_by_year(lines)):
        values = {"total": format_yen(breach.total_yen), "ceiling": format_yen(breach.ceiling_yen),
                  "tier": tier.name}
        if breach.fiscal_year is None:
            message = _("Budget: the total of %(total)s is over the ceiling of %(ceiling)s for "
                        "the whole award (%(tier)s).") % values
        else:
            message = _("Budget: the total of %(total)s in %(year)s is over the ceiling of "
                        "%(ceiling)s per fiscal year (%(tier)s).") % {
                **values, "year": fiscal_year_label(breach.fiscal_year)}
        problems.append(Problem("budget_lines", "over_ceiling", message))
    return problems


def _indicators(content, funding_round) -> list[Problem]:
    years = set(funding_round.fiscal_years)
    label = _label(Indicator, "fiscal_year")
    return [
        Problem(
            "indicators", "fiscal_year_outside_round",
            _("Indicator %(number)s: %(field)s %(year)s is outside the round's fiscal years.")
            % {"number": number, "field": label, "year": fiscal_year_label(row.get("fiscal_year"))},
        )
        for number, row in enumerate(content.get("indicators") or [], 1)
        if row.get("fiscal_year") not in years
    ]


def _consortium(content, funding_round) -> list[Problem]:
    members = content.get("consortium_members") or []
    if not funding_round.consortium_allowed:
        if members or content.get("is_consortium"):
            return [Problem(
                "consortium_members", "consortium_not_allowed",
                _("Consortium members: this round does not accept consortium applications."),
            )]
        return []
    if content.get("is_consortium") and not members:
        return [Problem(
            "consortium_members", "required",
            _("Consortium members: add at least one member, or untick consortium application."),
        )]
    problems = []
    label = _label(ConsortiumMember, "corporate_number")
    for number, member in enumerate(members, 1):
        corporate_number = member.get("corporate_number") or ""
        required = corporate_number_required(member.get("legal_form") or LegalForm.OTHER)
        if (required or corporate_number) and not is_valid_corporate_number(corporate_number):
            problems.append(Problem(
                "consortium_members", "member_corporate_number_invalid",
                _("Consortium member %(number)s: %(field)s is missing or its check digit is wrong.")
                % {"number": number, "field": label},
            ))
    return problems


def _organisation(funding_round, organisation) -> list[Problem]:
    problems = []
    if not funding_round.legal_form_allowed(organisation.legal_form):
        problems.append(Problem(
            "organisation", "legal_form_not_allowed",
            _("Organisation: %(form)s may not apply to this round (allowed: %(allowed)s).")
            % {"form": organisation.get_legal_form_display(),
               "allowed": ", ".join(funding_round.allowed_legal_form_labels())},
        ))
    number = organisation.corporate_number or ""
    if (corporate_number_required(organisation.legal_form) or number) and not (
        is_valid_corporate_number(number)
    ):
        problems.append(Problem(
            "organisation", "corporate_number_invalid",
            _("Organisation: the corporate number is missing or its check digit is wrong; "
              "correct it in the organisation's details."),
        ))
    return problems
