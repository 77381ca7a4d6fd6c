"""Reads for the award and report pages and the API (selectors).

Every list is built with a fixed number of queries however many rows it has:
sums come from subqueries, related rows from prefetches.
"""

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy

from awards.models import (
    REPORT_DUE_TIME,
    Award,
    AwardBudgetLine,
    AwardEvent,
    AwardYear,
    BudgetChangeRequest,
    Payment,
    ReportDeadline,
)

from .models import ExpenseActual, ProgressReport, ReportEvent


def overdue_q(now=None, prefix: str = "") -> Q:
    """Deadlines overdue at `now`: due before today, or today from 17:00
    JST (REPORT_DUE_TIME), and not handed in."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    due = Q(**{f"{prefix}due_on__lt": local.date()})
    if local.time() >= REPORT_DUE_TIME:
        due |= Q(**{f"{prefix}due_on": local.date()})
    running = ~Q(**{f"{prefix}award_year__state__in": [AwardYear.State.PLANNED,
                                                       AwardYear.State.STOPPED]})
    handed_in = Q(**{f"{prefix}report__status__in": ProgressReport.HANDED_IN})
    return due & running & ~handed_in


def is_overdue(deadline: ReportDeadline, report: ProgressReport | None = None, now=None) -> bool:
    now = now or timezone.now()
    if report is not None and report.status in ProgressReport.HANDED_IN:
        return False
    return now >= deadline.due_at


def _signed_amount():
    return Case(
        When(kind=Payment.Kind.REFUND, then=-F("amount_yen")),
        default=F("amount_yen"),
        output_field=IntegerField(),
    )


def _paid_subquery(outer: str):
    return Coalesce(
        Subquery(
            Payment.objects.filter(**{outer: OuterRef("pk")})
            .values(outer)
            .annotate(total=Sum(_signed_amount()))
            .values("total")[:1],
            output_field=IntegerField(),
        ),
        Value(0),
    )


# Orders of the award list, shared by its page and the awards export so that
# the spreadsheet lists the rows as the screen does. Both directions named in
# words (no half-translated "(descending)").
AWARD_SORTS = {
    "-fiscal_year": (gettext_lazy("Fiscal year (newest first)"),
                     ("-funding_round__fiscal_year", "award_number", "pk")),
    "fiscal_year": (gettext_lazy("Fiscal year (oldest first)"),
                    ("funding_round__fiscal_year", "award_number", "pk")),
    "award_number": (gettext_lazy("Award number (ascending)"), ("award_number", "pk")),
    "-award_number": (gettext_lazy("Award number (descending)"), ("-award_number", "-pk")),
    "organisation": (gettext_lazy("Organisation (ascending)"),
                     ("organisation__name", "award_number", "pk")),
    "-organisation": (gettext_lazy("Organisation (descending)"),
                      ("-organisation__name", "award_number", "pk")),
    "-approved_yen": (gettext_lazy("Approved amount (largest first)"),
                      ("-approved_yen", "award_number", "pk")),
    "approved_yen": (gettext_lazy("Approved amount (smallest first)"),
                     ("approved_yen", "award_number", "pk")),
    "-paid_yen": (gettext_lazy("Paid (largest first)"), ("-paid_yen", "award_number", "pk")),
    "paid_yen": (gettext_lazy("Paid (smallest first)"), ("paid_yen", "award_number", "pk")),
}
DEFAULT_AWARD_SORT = "-fiscal_year"


def award_ordering(sort: str | None) -> tuple[str, ...]:
    """The order_by() of a sort key of the award list; the default for an
    unknown or empty one. Needs the paid_yen annotation for the paid sorts."""
    return AWARD_SORTS.get(sort or DEFAULT_AWARD_SORT, AWARD_SORTS[DEFAULT_AWARD_SORT])[1]


def awards_for_list(user, *, programme=None, funding_round=None, fiscal_year=None,
                    status=None, overdue=None, prefecture=None, sort=None, now=None,
                    with_history: bool = False):
    """The staff award list: visible awards with the amounts paid and the
    number of overdue reports; `with_history` adds what the API shows
    (budget lines, payments, deadlines, continuations)."""
    overdue_count = (
        ReportDeadline.objects.filter(overdue_q(now), award=OuterRef("pk"))
        .values("award").annotate(n=Count("pk")).values("n")[:1]
    )
    awards = (
        Award.objects.visible_to(user)
        .select_related("organisation", "funding_round", "funding_round__programme", "theme", "tier")
        .annotate(
            paid_yen=_paid_subquery("award_year__award"),
            overdue_count=Coalesce(Subquery(overdue_count, output_field=IntegerField()), Value(0)),
        )
        .order_by(*award_ordering(sort))
    )
    if with_history:
        awards = awards.prefetch_related(
            years_prefetch(),
            Prefetch("deadlines", queryset=ReportDeadline.objects.select_related("report")
                     .order_by("due_on", "id")),
            "continuations",
            "target_groups",
            "consortium_members",
        )
    else:
        awards = awards.prefetch_related(
            Prefetch("years", queryset=AwardYear.objects.order_by("fiscal_year")))
    if programme:
        awards = awards.filter(funding_round__programme=programme)
    if funding_round:
        awards = awards.filter(funding_round=funding_round)
    if fiscal_year:
        awards = awards.in_fiscal_year(fiscal_year)
    if status:
        awards = awards.filter(status=status)
    if overdue is True:
        awards = awards.filter(overdue_count__gt=0)
    elif overdue is False:
        awards = awards.filter(overdue_count=0)
    if prefecture:
        # prefectures is a JSON list of codes; the quoted code cannot match
        # part of another code.
        awards = awards.filter(
            Q(prefectures__icontains=f'"{prefecture}"') | Q(organisation__prefecture=prefecture)
        )
    return awards


def years_prefetch() -> Prefetch:
    """Award years with everything the detail page and the API show."""
    return Prefetch(
        "years",
        queryset=AwardYear.objects.order_by("fiscal_year").prefetch_related(
            Prefetch("budget_lines",
                     queryset=AwardBudgetLine.objects.select_related("expense_category")),
            "payments",
            "scheduled_payments",
            Prefetch("change_requests", queryset=BudgetChangeRequest.objects.select_related(
                "from_category", "to_category", "requested_by", "decided_by")),
        ),
    )


def award_detail(queryset, **lookup):
    """One award with its whole multi-year history, in a bounded number of
    queries."""
    return queryset.select_related(
        "organisation", "funding_round", "funding_round__programme", "theme", "tier", "application",
    ).prefetch_related(
        years_prefetch(),
        Prefetch("deadlines", queryset=ReportDeadline.objects.select_related("report")
                 .order_by("due_on", "id")),
        Prefetch("reports", queryset=ProgressReport.objects.prefetch_related(
            Prefetch("expense_actuals", queryset=ExpenseActual.objects.select_related(
                "expense_category")))),
        "continuations",
        Prefetch("events", queryset=AwardEvent.objects.select_related("actor", "award_year")
                 .order_by("-at", "-id")),
    ).get(**lookup)


def payment_rows(year: AwardYear) -> list[dict]:
    """A year's scheduled and made payments in one list in date order (a
    schedule before a payment on the same day), each payment with the
    scheduled payment it settles and each schedule with its payments. Uses
    prefetched rows."""
    scheduled = {s.pk: s for s in year.scheduled_payments.all()}
    settled_by: dict[int, list] = {}
    rows = []
    for payment in year.payments.all():
        settles = scheduled.get(payment.scheduled_id)
        if settles is not None:
            settled_by.setdefault(settles.pk, []).append(payment)
        rows.append({"on": payment.paid_on, "order": (1, payment.pk), "payment": payment,
                     "settles": settles})
    for item in scheduled.values():
        rows.append({"on": item.due_on, "order": (0, item.pk), "scheduled": item,
                     "settled_by": settled_by.get(item.pk, [])})
    return sorted(rows, key=lambda row: (row["on"], row["order"]))


def budget_vs_actual(award) -> list[dict]:
    """Per year and category: approved, actual (from the annual report, else
    the latest interim report) and the difference. Uses prefetched rows."""
    reports = {}
    for report in award.reports.all():
        if report.kind == ProgressReport.Kind.FINAL:
            continue
        rank = 2 if report.kind == ProgressReport.Kind.ANNUAL else 1
        current = reports.get(report.fiscal_year)
        if current is None or rank > current[0]:
            reports[report.fiscal_year] = (rank, report)
    result = []
    for year in award.years.all():
        report = reports.get(year.fiscal_year, (0, None))[1]
        actuals = {e.expense_category_id: e for e in report.expense_actuals.all()} if report else {}
        rows = []
        for line in year.budget_lines.all():
            actual = actuals.get(line.expense_category_id)
            rows.append({
                "category": line.expense_category,
                "approved_yen": line.approved_yen,
                "actual_yen": actual.actual_yen if actual else None,
                "difference_yen": (actual.actual_yen - line.approved_yen) if actual else None,
            })
        result.append({"year": year, "report": report, "rows": rows,
                       "actual_total": sum(r["actual_yen"] or 0 for r in rows) if report else None})
    return result


def budget_by_category(award) -> list[dict]:
    """Approved yen per expense category over all years (prefetched)."""
    totals: dict = {}
    for year in award.years.all():
        for line in year.budget_lines.all():
            entry = totals.setdefault(line.expense_category.code, {
                "expense_category": line.expense_category.code,
                "name": line.expense_category.name, "approved_yen": 0, "by_year": {},
            })
            entry["approved_yen"] += line.approved_yen
            entry["by_year"][str(year.fiscal_year)] = line.approved_yen
    return list(totals.values())


def reports_for_list(user, *, award=None, status=None, fiscal_year=None, kind=None):
    reports = (
        ProgressReport.objects.visible_to(user)
        .select_related("award", "award__organisation", "deadline")
        .order_by("award__award_number", "fiscal_year", "kind")
    )
    if award:
        reports = reports.filter(award=award)
    if status:
        reports = reports.filter(status=status)
    if fiscal_year:
        reports = reports.filter(fiscal_year=fiscal_year)
    if kind:
        reports = reports.filter(kind=kind)
    return reports


def report_detail(queryset, **lookup):
    return queryset.select_related(
        "award", "award__organisation", "award__funding_round__programme", "deadline",
        "deadline__award_year",
    ).prefetch_related(
        "feature_tags",
        "target_groups",
        "activities__participant_counts__target_group",
        "indicator_actuals",
        Prefetch("expense_actuals", queryset=ExpenseActual.objects.select_related(
            "expense_category")),
        Prefetch("versions"),
        Prefetch("events", queryset=ReportEvent.objects.select_related("actor")
                 .order_by("at", "id")),
    ).get(**lookup)


def labelled_content(content: dict) -> dict:
    """Report content with names for its codes, for display (three queries)."""
    from grants.models import ExpenseCategory, TargetGroup

    from .models import FeatureTag

    def names(model, codes):
        return {obj.code: obj.name for obj in model.objects.filter(code__in=list(codes))}

    activities = content.get("activities") or []
    groups = names(TargetGroup, {c for a in activities for c in a.get("participants_by_group", {})}
                   | set(content.get("target_groups") or []))
    tags = names(FeatureTag, content.get("feature_tags") or [])
    categories = names(ExpenseCategory,
                       [e.get("expense_category") for e in content.get("expense_actuals") or []])
    expenses = [
        {**e, "category_name": categories.get(e.get("expense_category"), e.get("expense_category")),
         "difference_yen": (e.get("actual_yen") or 0) - (e.get("approved_yen") or 0)}
        for e in content.get("expense_actuals") or []
    ]
    return {
        **content,
        "feature_tag_names": [tags.get(c, c) for c in content.get("feature_tags") or []],
        "target_group_names": [groups.get(c, c) for c in content.get("target_groups") or []],
        "activities": [
            {**a, "groups": [(groups.get(c, c), n) for c, n in
                             (a.get("participants_by_group") or {}).items()]}
            for a in activities
        ],
        "expense_actuals": expenses,
        "expense_totals": {
            "approved_yen": sum(e.get("approved_yen") or 0 for e in expenses),
            "actual_yen": sum(e.get("actual_yen") or 0 for e in expenses),
        },
    }
