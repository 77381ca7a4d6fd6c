"""Portfolio figures for the oversight dashboard, the outcomes API, the
exports and the model report, computed in the database.

Every figure is a grouped aggregate (`values().annotate()`), so the number of
queries is fixed however many awards, reports and activities there are.

Counting rules (one place, so every surface agrees):
- Reach (cumulative participants, 延べ人数), indicator results and actual
  expenses come from annual reports (実績報告) that were handed in
  (submitted, being revised or accepted). An interim report (中間報告)
  covers part of the same fiscal year and the final report looks back over
  the whole award, so adding them would count people twice.
- A fiscal-year filter selects the reports, budget years and deadlines of
  that year; awards and organisations count when the award has that year.
- Approved amounts leave out years that were not continued.
"""

from dataclasses import asdict, dataclass

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractHour, TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.models import (
    REPORT_DUE_TIME,
    Award,
    AwardBudgetLine,
    AwardYear,
    Payment,
    ReportDeadline,
)
from core.fiscal import fiscal_year_label
from core.prefectures import PREFECTURE_NAMES_JA
from grants.models import ExpenseCategory, FundingRound, TargetGroup, Theme

from .models import (
    ActivityParticipantCount,
    ExpenseActual,
    IndicatorActual,
    ProgressReport,
    ReportActivity,
)
from .queries import overdue_q

COUNTED_KIND = ProgressReport.Kind.ANNUAL
COUNTED_STATUSES = tuple(ProgressReport.HANDED_IN)
NATIONWIDE = "nationwide"
NO_THEME = None


@dataclass(frozen=True)
class OutcomeScope:
    """The dashboard's filters: programme, funding round, fiscal year."""

    programme_id: int | None = None
    funding_round_id: int | None = None
    fiscal_year: int | None = None

    def award_q(self, to_award: str = "") -> Q:
        """Filter on the award reached through `to_award` (e.g. "report__award__")."""
        q = Q()
        if self.programme_id:
            q &= Q(**{f"{to_award}funding_round__programme_id": self.programme_id})
        if self.funding_round_id:
            q &= Q(**{f"{to_award}funding_round_id": self.funding_round_id})
        return q

    def counted_reports_q(self, to_report: str = "") -> Q:
        """The reports whose figures count (see the module docstring)."""
        q = Q(**{f"{to_report}kind": COUNTED_KIND, f"{to_report}status__in": COUNTED_STATUSES})
        q &= self.award_q(f"{to_report}award__")
        if self.fiscal_year:
            q &= Q(**{f"{to_report}fiscal_year": self.fiscal_year})
        return q

    def as_dict(self) -> dict:
        return asdict(self)


# --- Awards and organisations --------------------------------------------------------


def scoped_awards(scope: OutcomeScope, queryset=None):
    """Awards in scope: of the programme/round, having the fiscal year."""
    queryset = (queryset if queryset is not None else Award.objects.all()).filter(scope.award_q())
    if scope.fiscal_year:
        queryset = queryset.filter(Exists(AwardYear.objects.filter(
            award=OuterRef("pk"), fiscal_year=scope.fiscal_year
        ).exclude(state=AwardYear.State.STOPPED)))
    return queryset


def award_counts(scope: OutcomeScope) -> dict:
    return scoped_awards(scope).aggregate(
        awards=Count("pk"), organisations=Count("organisation", distinct=True)
    )


# --- Reach ------------------------------------------------------------------------------


def _counted_reports(scope: OutcomeScope):
    """The counted reports, with or without activity rows: a report handed
    in with feature tags but no activities still counts its award (with 0
    participants) under every grouping, as it does under its theme."""
    return ProgressReport.objects.filter(scope.counted_reports_q())


def _report_sums(scope: OutcomeScope):
    """Participants and sessions per counted report, as subqueries, so a
    join to tags or prefectures never repeats or drops a report."""
    activities = ReportActivity.objects.filter(report=OuterRef("pk")).values("report")
    return _counted_reports(scope).annotate(
        report_participants=Coalesce(Subquery(
            activities.annotate(n=Sum("participants_total")).values("n")), 0),
        report_sessions=Coalesce(Subquery(
            activities.annotate(n=Sum("sessions_held")).values("n")), 0),
    )


def participants_by_fiscal_year(scope: OutcomeScope) -> list[dict]:
    rows = (
        _report_sums(scope).values("fiscal_year")
        .annotate(participants=Sum("report_participants"), sessions=Sum("report_sessions"),
                  awards=Count("award", distinct=True))
        .order_by("fiscal_year")
    )
    return [
        {"fiscal_year": r["fiscal_year"], "label": fiscal_year_label(r["fiscal_year"]),
         "participants": r["participants"] or 0, "sessions": r["sessions"] or 0,
         "awards": r["awards"]}
        for r in rows
    ]


def participants_by_theme_rows(scope: OutcomeScope) -> dict:
    """{theme id or None: {"participants", "reporting_awards"}} of the
    counted reports."""
    rows = (
        _report_sums(scope).values("award__theme_id")
        .annotate(participants=Sum("report_participants"),
                  awards=Count("award", distinct=True))
        .order_by()
    )
    return {r["award__theme_id"]: {"participants": r["participants"] or 0,
                                   "reporting_awards": r["awards"]} for r in rows}


def participants_by_target_group(scope: OutcomeScope) -> list[dict]:
    """Per target group: participants counted for it on activities, and the
    awards whose counted reports name it (on the report or on an activity
    count), so a report without per-activity counts still counts its award."""
    counts = (
        ActivityParticipantCount.objects.filter(
            scope.counted_reports_q("activity__report__"), target_group=OuterRef("pk"))
        .values("target_group").annotate(n=Sum("count")).values("n")
    )
    naming = (
        _counted_reports(scope)
        .filter(Q(target_groups=OuterRef("pk"))
                | Q(activities__participant_counts__target_group=OuterRef("pk")))
        .order_by().annotate(one=Value(1)).values("one")
        .annotate(n=Count("award", distinct=True)).values("n")
    )
    rows = (
        TargetGroup.objects
        .annotate(reached=Coalesce(Subquery(counts), 0),
                  reporting_awards=Coalesce(Subquery(naming), 0))
        .filter(Q(reached__gt=0) | Q(reporting_awards__gt=0))
        .values("pk", "code", "name_ja", "name_en", "reached", "reporting_awards")
        .order_by("sort_order", "code")
    )
    return [
        {"id": r["pk"], "code": r["code"], "label": _localised(r["name_ja"], r["name_en"]),
         "participants": r["reached"] or 0, "awards": r["reporting_awards"]}
        for r in rows
    ]


def participants_by_feature_tag(scope: OutcomeScope) -> list[dict]:
    """Participants and awards of the counted reports carrying each feature
    tag (a report with two tags counts under both; one without activity
    rows counts its award with 0 participants)."""
    participants = ReportActivity.objects.filter(
        report=OuterRef("progressreport_id")).values("report").annotate(
        n=Sum("participants_total")).values("n")
    rows = (
        ProgressReport.feature_tags.through.objects
        .filter(progressreport__in=_counted_reports(scope))
        .annotate(report_participants=Coalesce(Subquery(participants), 0))
        .values("featuretag_id", "featuretag__code", "featuretag__name_ja",
                "featuretag__name_en", "featuretag__sort_order")
        .annotate(participants=Sum("report_participants"),
                  awards=Count("progressreport__award", distinct=True))
        .order_by("featuretag__sort_order", "featuretag__code")
    )
    return [
        {"id": r["featuretag_id"], "code": r["featuretag__code"],
         "label": _localised(r["featuretag__name_ja"], r["featuretag__name_en"]),
         "participants": r["participants"] or 0, "awards": r["awards"]}
        for r in rows
    ]


def participants_by_prefecture(scope: OutcomeScope) -> list[dict]:
    """Participants by the awards' activity area. The database sums per
    award (one query); each award's sum then counts under every prefecture
    of its area, or under "nationwide", so the rows may add up to more than
    the total. An award whose counted reports have no activity rows counts
    with 0 participants."""
    per_award = (
        _report_sums(scope).values("award_id", "award__prefectures", "award__is_nationwide")
        .annotate(participants=Sum("report_participants")).order_by()
    )
    buckets: dict[str, dict] = {}
    for row in per_award:
        codes = [NATIONWIDE] if row["award__is_nationwide"] else sorted(
            {str(c) for c in row["award__prefectures"] or []}
        )
        for code in codes:
            bucket = buckets.setdefault(code, {"participants": 0, "awards": 0})
            bucket["participants"] += row["participants"] or 0
            bucket["awards"] += 1
    return [
        {"code": code,
         "label": _("Nationwide") if code == NATIONWIDE else PREFECTURE_NAMES_JA.get(code, code),
         **buckets[code]}
        for code in sorted(buckets, key=lambda c: (c == NATIONWIDE, c))
    ]


def indicator_rollups(scope: OutcomeScope) -> list[dict]:
    """Targets and actuals summed over indicators of the same name and unit;
    indicators in different units are never added together."""
    rows = (
        IndicatorActual.objects.filter(scope.counted_reports_q("report__"))
        .values("name", "unit")
        .annotate(target=Sum("target"), actual=Sum("actual"),
                  reports=Count("report", distinct=True), awards=Count("report__award", distinct=True))
        .order_by("name", "unit")
    )
    return [
        {"name": r["name"], "unit": r["unit"], "target": r["target"], "actual": r["actual"],
         "reports": r["reports"], "awards": r["awards"]}
        for r in rows
    ]


# --- Money ---------------------------------------------------------------------------


def signed_amount():
    return Case(
        When(kind=Payment.Kind.REFUND, then=-F("amount_yen")),
        default=F("amount_yen"),
        output_field=IntegerField(),
    )


def _budget_years_q(scope: OutcomeScope, to_year: str) -> Q:
    q = scope.award_q(f"{to_year}award__") & ~Q(**{f"{to_year}state": AwardYear.State.STOPPED})
    if scope.fiscal_year:
        q &= Q(**{f"{to_year}fiscal_year": scope.fiscal_year})
    return q


def _budget_cells(scope: OutcomeScope) -> dict:
    """{(round id, theme id, category id or None): {"approved", "paid", "actual"}}."""
    cells: dict = {}

    def add(key, measure, amount):
        cell = cells.setdefault(key, {"approved_yen": 0, "paid_yen": 0, "actual_yen": 0})
        cell[measure] += amount or 0

    approved = (
        AwardBudgetLine.objects.filter(_budget_years_q(scope, "award_year__"))
        .values("award_year__award__funding_round_id", "award_year__award__theme_id",
                "expense_category_id")
        .annotate(total=Sum("approved_yen")).order_by()
    )
    for r in approved:
        add((r["award_year__award__funding_round_id"], r["award_year__award__theme_id"],
             r["expense_category_id"]), "approved_yen", r["total"])
    actual = (
        ExpenseActual.objects.filter(scope.counted_reports_q("report__"))
        .values("report__award__funding_round_id", "report__award__theme_id", "expense_category_id")
        .annotate(total=Sum("actual_yen")).order_by()
    )
    for r in actual:
        add((r["report__award__funding_round_id"], r["report__award__theme_id"],
             r["expense_category_id"]), "actual_yen", r["total"])
    paid = (
        Payment.objects.filter(_budget_years_q(scope, "award_year__"))
        .values("award_year__award__funding_round_id", "award_year__award__theme_id")
        .annotate(total=Sum(signed_amount())).order_by()
    )
    for r in paid:
        # Payments are made per award year, not per expense category.
        add((r["award_year__award__funding_round_id"], r["award_year__award__theme_id"], None),
            "paid_yen", r["total"])
    return cells


def _roll_up(cells: dict, position: int) -> dict:
    result: dict = {}
    for key, cell in cells.items():
        entry = result.setdefault(key[position], {"approved_yen": 0, "paid_yen": 0, "actual_yen": 0})
        for measure, amount in cell.items():
            entry[measure] += amount
    return result


def budget_execution(scope: OutcomeScope, labels: "Labels") -> dict:
    cells = _budget_cells(scope)
    labels.want(rounds={k[0] for k in cells}, themes={k[1] for k in cells},
                categories={k[2] for k in cells})
    labels.load()
    by_round = _roll_up(cells, 0)
    by_theme = _roll_up(cells, 1)
    by_category = _roll_up({k: v for k, v in cells.items() if k[2] is not None}, 2)
    totals = {m: sum(c[m] for c in cells.values())
              for m in ("approved_yen", "paid_yen", "actual_yen")}
    return {
        "by_round": [{"id": k, "label": labels.round(k), **v}
                     for k, v in sorted(by_round.items(), key=lambda i: labels.round_order(i[0]))],
        "by_theme": [{"id": k, "label": labels.theme(k), **v}
                     for k, v in sorted(by_theme.items(), key=lambda i: labels.theme_order(i[0]))],
        # Payments are not split by category, so paid is None here.
        "by_category": [{"id": k, "label": labels.category(k), **v, "paid_yen": None}
                        for k, v in sorted(by_category.items(),
                                           key=lambda i: labels.category_order(i[0]))],
        "totals": totals,
    }


# --- Reports --------------------------------------------------------------------------


class Timeliness:
    ON_TIME = "on_time"
    LATE = "late"
    OVERDUE = "overdue"
    PENDING = "pending"
    ORDER = (ON_TIME, LATE, OVERDUE, PENDING)

    @staticmethod
    def labels() -> dict:
        return {
            Timeliness.ON_TIME: _("On time"),
            Timeliness.LATE: _("Late"),
            Timeliness.OVERDUE: _("Overdue"),
            Timeliness.PENDING: _("Not yet due"),
        }


def annotate_timeliness(queryset, now=None, to_deadline: str = "", to_report: str = "report__"):
    """Annotate `timeliness` (on_time / late / overdue / pending) on
    deadlines, or on reports with `to_deadline="deadline__", to_report=""`.

    On time: first handed in before 17:00 JST (REPORT_DUE_TIME) on the due
    date; the database converts `submitted_at` to Japan time to compare.
    NOTE: only the hour of REPORT_DUE_TIME is compared (it is on the hour).
    """
    tz = timezone.get_default_timezone()
    submitted = f"{to_report}submitted_at"
    due_on = F(f"{to_deadline}due_on")
    handed_in = Q(**{f"{to_report}status__in": COUNTED_STATUSES, f"{submitted}__isnull": False})
    before_due = Q(submitted_local_date__lt=due_on) | Q(
        submitted_local_date=due_on, submitted_local_hour__lt=REPORT_DUE_TIME.hour
    )
    return queryset.annotate(
        submitted_local_date=TruncDate(submitted, tzinfo=tz),
        submitted_local_hour=ExtractHour(submitted, tzinfo=tz),
    ).annotate(timeliness=Case(
        When(handed_in & before_due, then=Value(Timeliness.ON_TIME)),
        When(handed_in, then=Value(Timeliness.LATE)),
        When(overdue_q(now, prefix=to_deadline), then=Value(Timeliness.OVERDUE)),
        default=Value(Timeliness.PENDING),
        output_field=CharField(),
    ))


def report_timeliness(scope: OutcomeScope, now=None) -> dict:
    """Deadlines by kind and timeliness."""
    deadlines = ReportDeadline.objects.filter(scope.award_q("award__")).exclude(
        award_year__state=AwardYear.State.STOPPED
    )
    if scope.fiscal_year:
        deadlines = deadlines.filter(fiscal_year=scope.fiscal_year)
    rows = (
        annotate_timeliness(deadlines, now).values("kind", "timeliness")
        .annotate(n=Count("pk")).order_by()
    )
    table = {kind: dict.fromkeys(Timeliness.ORDER, 0) for kind in ReportDeadline.Kind.values}
    for r in rows:
        table[r["kind"]][r["timeliness"]] += r["n"]
    kinds = dict(ReportDeadline.Kind.choices)
    result = [
        {"kind": kind, "label": str(kinds[kind]), **counts, "total": sum(counts.values())}
        for kind, counts in table.items()
    ]
    totals = {t: sum(row[t] for row in result) for t in Timeliness.ORDER}
    totals["total"] = sum(totals.values())
    return {"rows": result, "totals": totals}


def report_statuses(scope: OutcomeScope) -> list[dict]:
    reports = ProgressReport.objects.filter(scope.award_q("award__"))
    if scope.fiscal_year:
        reports = reports.filter(fiscal_year=scope.fiscal_year)
    counts = dict(reports.values_list("status").annotate(n=Count("pk")).order_by())
    return [
        {"status": status, "label": str(label), "count": counts.get(status, 0)}
        for status, label in ProgressReport.Status.choices
    ]


# --- Labels ---------------------------------------------------------------------------


def _localised(ja: str, en: str) -> str:
    from django.utils.translation import get_language

    if (get_language() or "ja")[:2] == "en" and en:
        return en
    return ja or en or ""


class Labels:
    """Names of rounds, themes and categories, loaded in one query each."""

    def __init__(self):
        self._wanted = {"rounds": set(), "themes": set(), "categories": set()}
        self.rounds: dict = {}
        self.themes: dict = {}
        self.categories: dict = {}

    def want(self, *, rounds=(), themes=(), categories=()):
        self._wanted["rounds"] |= {r for r in rounds if r}
        self._wanted["themes"] |= {t for t in themes if t}
        self._wanted["categories"] |= {c for c in categories if c}

    def load(self):
        missing = self._wanted["themes"] - set(self.themes)
        if missing:
            for theme in Theme.objects.filter(pk__in=missing).select_related("funding_round"):
                self.themes[theme.pk] = theme
                self.rounds.setdefault(theme.funding_round_id, theme.funding_round)
        missing = self._wanted["rounds"] - set(self.rounds)
        if missing:
            self.rounds.update({r.pk: r for r in FundingRound.objects.filter(pk__in=missing)})
        missing = self._wanted["categories"] - set(self.categories)
        if missing:
            self.categories.update(
                {c.pk: c for c in ExpenseCategory.objects.filter(pk__in=missing)})

    def round(self, pk) -> str:
        return self.rounds[pk].title if pk in self.rounds else _("(no round)")

    def round_order(self, pk):
        r = self.rounds.get(pk)
        return (r.fiscal_year, r.pk) if r else (0, 0)

    def theme(self, pk) -> str:
        theme = self.themes.get(pk)
        if theme is None:
            return _("(no theme)")
        return _("%(round)s — %(number)s. %(title)s") % {
            "round": theme.funding_round.title, "number": theme.number, "title": theme.title}

    def theme_short(self, pk) -> str:
        theme = self.themes.get(pk)
        if theme is None:
            return _("(no theme)")
        return f"{theme.number}. {theme.title}"

    def theme_order(self, pk):
        theme = self.themes.get(pk)
        if theme is None:
            return (9999, 0, 0)
        return (theme.funding_round.fiscal_year, theme.funding_round_id, theme.number)

    def category(self, pk) -> str:
        category = self.categories.get(pk)
        return category.name if category else _("(no category)")

    def category_order(self, pk):
        category = self.categories.get(pk)
        return (category.sort_order, category.code) if category else (9999, "")


# --- Everything together ------------------------------------------------------------------


def themes_table(scope: OutcomeScope, labels: Labels, budget: dict) -> list[dict]:
    """Per theme: awards, organisations, participants and money."""
    awards = (
        scoped_awards(scope).values("theme_id")
        .annotate(awards=Count("pk"), organisations=Count("organisation", distinct=True))
        .order_by()
    )
    reach = participants_by_theme_rows(scope)
    rows: dict = {}
    for r in awards:
        rows[r["theme_id"]] = {"awards": r["awards"], "organisations": r["organisations"]}
    for theme_id, values in reach.items():
        rows.setdefault(theme_id, {"awards": 0, "organisations": 0}).update(values)
    money = {r["id"]: r for r in budget["by_theme"]}
    labels.want(themes=set(rows))
    labels.load()
    result = []
    for theme_id in sorted(rows, key=labels.theme_order):
        row = rows[theme_id]
        cell = money.get(theme_id, {})
        result.append({
            "id": theme_id, "label": labels.theme(theme_id), "short_label": labels.theme_short(theme_id),
            "awards": row.get("awards", 0), "organisations": row.get("organisations", 0),
            "participants": row.get("participants", 0),
            "reporting_awards": row.get("reporting_awards", 0),
            "approved_yen": cell.get("approved_yen", 0), "paid_yen": cell.get("paid_yen", 0),
            "actual_yen": cell.get("actual_yen", 0),
        })
    return result


def outcomes(scope: OutcomeScope, now=None) -> dict:
    """Every figure of the dashboard in a fixed number of queries."""
    labels = Labels()
    budget = budget_execution(scope, labels)
    by_year = participants_by_fiscal_year(scope)
    counts = award_counts(scope)
    return {
        "filters": scope.as_dict(),
        "totals": {
            "awards": counts["awards"],
            "organisations": counts["organisations"],
            "participants": sum(r["participants"] for r in by_year),
            "sessions": sum(r["sessions"] for r in by_year),
            **budget["totals"],
        },
        "by_theme": themes_table(scope, labels, budget),
        "by_target_group": participants_by_target_group(scope),
        "by_feature_tag": participants_by_feature_tag(scope),
        "by_prefecture": participants_by_prefecture(scope),
        "by_fiscal_year": by_year,
        "indicators": indicator_rollups(scope),
        "budget": budget,
        "timeliness": report_timeliness(scope, now),
        "report_statuses": report_statuses(scope),
    }
