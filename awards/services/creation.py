"""An award made from an awarded application: its number, years, budget
(the requested one, or scaled to a reduced amount), consortium members,
target groups and reporting schedule, in one transaction."""

from collections import defaultdict
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.models import Application
from core.errors import DomainError
from core.fiscal import fiscal_year_bounds
from core.money import format_yen, split_yen
from core.transitions import actor, record
from grants.models import FundingRound, Programme

from ..models import (
    Award,
    AwardBudgetLine,
    AwardConsortiumMember,
    AwardEvent,
    AwardYear,
)
from .common import check_budget, move_year, normalise_budget
from .schedule import build_reporting_schedule


def _requested_budget(application) -> dict[int, dict[int, int]]:
    """{fiscal year: {category id: yen}} from the application's budget lines."""
    budget: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for line in application.budget_lines.all():
        budget[line.fiscal_year][line.expense_category_id] += line.amount_yen
    return {year: dict(lines) for year, lines in budget.items()}


def _scaled(budget: dict[int, dict[int, int]], amount_yen: int) -> dict[int, dict[int, int]]:
    """Scale every line down in proportion so the total is `amount_yen`
    (core.money.split_yen: largest remainder, parts add up exactly)."""
    keys = [(year, cat) for year in sorted(budget) for cat in sorted(budget[year])]
    requested = sum(budget[year][cat] for year, cat in keys)
    if amount_yen > requested:
        raise DomainError(
            _("The awarded amount %(amount)s is above the requested %(requested)s.")
            % {"amount": format_yen(amount_yen), "requested": format_yen(requested)},
            code="above_requested", field="amount_yen",
        )
    parts = split_yen(amount_yen, [budget[year][cat] for year, cat in keys])
    scaled: dict[int, dict[int, int]] = defaultdict(dict)
    for (year, cat), part in zip(keys, parts, strict=True):
        scaled[year][cat] = part
    return dict(scaled)


def _next_award_number(funding_round: FundingRound) -> str:
    """<PROGRAMME>-<fiscal year>-A<sequence>; the programme row is locked."""
    programme = Programme.objects.select_for_update().get(pk=funding_round.programme_id)
    prefix = f"{programme.code.upper()}-{funding_round.fiscal_year}-A"
    sequence = Award.objects.filter(award_number__startswith=prefix).count() + 1
    while Award.objects.filter(award_number=f"{prefix}{sequence:03d}").exists():
        sequence += 1
    return f"{prefix}{sequence:03d}"


def _default_start(first_year: int, end_on: date) -> tuple[date, bool]:
    """An award starts today or on 1 April of its first fiscal year, whichever
    is later, while that is still inside its years. Decided after they are
    over, it starts retroactively on that 1 April: (start, retroactive)."""
    first_day = fiscal_year_bounds(first_year)[0]
    start_on = max(timezone.localdate(), first_day)
    if start_on <= end_on:
        return start_on, False
    return first_day, True


@transaction.atomic
def create_award_from_application(
    *, application, approved_yen_by_year_and_category=None, amount_yen=None, by,
    start_on: date | None = None, end_on: date | None = None, conditions: str = "",
) -> Award:
    """Make the award of an awarded application; one award per application
    (a second call returns the first award unchanged). The budget defaults to
    the application's, scaled down when `amount_yen` is below the request."""
    # NOTE: grants sits below applications and never imports it; the
    # application's own class and status value are used instead.
    application = (
        type(application).objects.select_for_update(of=("self",))
        .select_related("funding_round", "tier")
        .get(pk=application.pk)
    )
    existing = Award.objects.filter(application=application).first()
    if existing is not None:
        return existing
    if application.status != Application.Status.AWARDED:
        raise DomainError(
            _("Only an awarded application becomes an award."), code="not_awarded"
        )
    funding_round = application.funding_round
    pro_rated = False
    if approved_yen_by_year_and_category is not None:
        budget = normalise_budget(approved_yen_by_year_and_category)
    else:
        budget = _requested_budget(application)
        requested = sum(sum(lines.values()) for lines in budget.values())
        if amount_yen is not None:
            budget = _scaled(budget, amount_yen) if budget else {}
        pro_rated = amount_yen is not None and amount_yen < requested
    check_budget(funding_round, application.tier, budget)
    years = sorted(budget)
    end_on = end_on or fiscal_year_bounds(years[-1])[1]
    retroactive = False
    if start_on is None:
        start_on, retroactive = _default_start(years[0], end_on)
    if end_on < start_on:
        raise DomainError(
            _("The end date must not be before the start date."),
            code="ends_before_start", field="end_on",
        )
    award = Award.objects.create(
        award_number=_next_award_number(funding_round),
        application=application,
        organisation_id=application.organisation_id,
        funding_round=funding_round,
        theme_id=application.theme_id,
        tier_id=application.tier_id,
        title=application.title or str(application),
        prefectures=list(application.prefectures or []),
        is_nationwide=application.is_nationwide,
        start_on=start_on,
        end_on=end_on,
        conditions=conditions,
        approved_yen=sum(sum(lines.values()) for lines in budget.values()),
        created_by=actor(by),
    )
    award.target_groups.set(application.target_groups.all())
    AwardConsortiumMember.objects.bulk_create(
        AwardConsortiumMember(award=award, name=m.name, legal_form=m.legal_form,
                              corporate_number=m.corporate_number, role=m.role,
                              sort_order=index)
        for index, m in enumerate(application.consortium_members.all())
    )
    for year in years:
        award_year = AwardYear.objects.create(
            award=award, fiscal_year=year, approved_yen=sum(budget[year].values())
        )
        AwardBudgetLine.objects.bulk_create(
            AwardBudgetLine(award_year=award_year, expense_category_id=cat, approved_yen=amount)
            for cat, amount in sorted(budget[year].items())
        )
    changes = {"budget": {str(y): {str(c): a for c, a in budget[y].items()} for y in years}}
    if pro_rated:
        changes["pro_rated"] = True  # is_reduced reads it
    members = [m.name for m in award.consortium_members.all()]
    if members:
        changes["consortium_members"] = members
    reason = ""
    if retroactive:
        changes.update(start_on=start_on.isoformat(), retroactive_start=True)
        reason = _(
            "Decided after the award's fiscal years ended: the award starts retroactively "
            "on %(start)s. Staff may adjust the dates."
        ) % {"start": start_on.isoformat()}
    record(AwardEvent, award=award, by=by, action=AwardEvent.Action.CREATED, to_status=award.status,
           why=reason, changes=changes)
    build_reporting_schedule(award)
    # The award itself is the decision for its first year.
    first = award.years.get(fiscal_year=years[0])
    move_year(first, to=AwardYear.State.ACTIVE, by=by)
    return award
