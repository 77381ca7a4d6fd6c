"""Exports of the portfolio: CSV and XLSX of awards, reports and findings,
and open data of awards in the 360Giving Data Standard (JSON and CSV).

Callers pass querysets already scoped to the user (`visible_to(user)`);
nothing here widens them. SECURITY: text cells starting with =, +, -, @,
tab or carriage return get a leading quote (CSV/formula injection), in the
spreadsheet exports and in the 360Giving CSV alike.

Figures follow reporting.aggregates (annual reports handed in), so the
participants column adds up to the dashboard's total for the same filters.
"""

import csv
import json
from datetime import date, datetime, time
from io import BytesIO, StringIO

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import IntegerField, OuterRef, Prefetch, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from awards.models import Award, AwardYear, Payment
from core.exports import neutralise
from core.prefectures import PREFECTURE_NAMES_JA
from grants.models import FundingRound

from . import aggregates, queries
from .findings.filters import FindingFilter
from .findings.forms import OutcomeFilterForm
from .findings.models import Finding, FindingEvidence
from .forms import AwardFilterForm
from .models import ExpenseActual, ProgressReport, ReportActivity

DEFAULT_OPEN_DATA_ID_PREFIX = "jp-kodoku-"
OPEN_DATA_VERSION = "1.4"


def _sum_subquery(queryset, group: str, field):
    return Coalesce(
        Subquery(queryset.values(group).annotate(total=Sum(field)).values("total")[:1],
                 output_field=IntegerField()),
        Value(0),
    )


def _area(award) -> str:
    if award.is_nationwide:
        return _("Nationwide")
    return "、".join(PREFECTURE_NAMES_JA.get(str(c), str(c)) for c in award.prefectures or [])


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


# --- Querysets ---------------------------------------------------------------------------


def awards_for_export(queryset, scope: aggregates.OutcomeScope):
    """Awards with paid, actual and participants summed in the database."""
    counted = scope.counted_reports_q("report__")
    years = AwardYear.objects.filter(award=OuterRef("pk")).exclude(state=AwardYear.State.STOPPED)
    payments = Payment.objects.filter(award_year__award=OuterRef("pk"))
    if scope.fiscal_year:
        years = years.filter(fiscal_year=scope.fiscal_year)
        payments = payments.filter(award_year__fiscal_year=scope.fiscal_year)
    return (
        aggregates.scoped_awards(scope, queryset)
        .select_related("organisation", "funding_round", "funding_round__programme", "theme")
        .annotate(
            approved_in_scope_yen=_sum_subquery(years, "award", "approved_yen"),
            paid_yen=_sum_subquery(payments, "award_year__award", aggregates.signed_amount()),
            actual_yen=_sum_subquery(
                ExpenseActual.objects.filter(counted, report__award=OuterRef("pk")),
                "report__award", "actual_yen"),
            participants=_sum_subquery(
                ReportActivity.objects.filter(counted, report__award=OuterRef("pk")),
                "report__award", "participants_total"),
        )
        .order_by(*queries.award_ordering(None))
    )


def reports_for_export(queryset, scope: aggregates.OutcomeScope, now=None):
    reports = queryset.filter(scope.award_q("award__"))
    if scope.fiscal_year:
        reports = reports.filter(fiscal_year=scope.fiscal_year)
    reports = aggregates.annotate_timeliness(reports, now, to_deadline="deadline__", to_report="")
    return (
        reports.select_related("award", "award__organisation", "deadline")
        .annotate(
            participants=_sum_subquery(ReportActivity.objects.filter(report=OuterRef("pk")),
                                       "report", "participants_total"),
            actual_yen=_sum_subquery(ExpenseActual.objects.filter(report=OuterRef("pk")),
                                     "report", "actual_yen"),
        )
        .order_by("award__award_number", "fiscal_year", "deadline__due_on", "pk")
    )


def findings_for_export(queryset):
    return queryset.select_related("programme", "theme", "theme__funding_round", "award").prefetch_related(
        "target_groups", "feature_tags",
        Prefetch("evidence", queryset=FindingEvidence.objects.select_related(
            "report__award", "indicator_actual")),
    ).order_by("-fiscal_year", "kind", "pk")


# --- Tables ------------------------------------------------------------------------------


AWARD_COLUMNS = [
    ("award_number", gettext_lazy("Award number")), ("title", gettext_lazy("Project title")),
    ("programme", gettext_lazy("Programme")), ("funding_round", gettext_lazy("Funding round")),
    ("theme", gettext_lazy("Theme")), ("organisation", gettext_lazy("Organisation")),
    ("legal_form", gettext_lazy("Legal form")), ("corporate_number", gettext_lazy("Corporate number")),
    ("area", gettext_lazy("Activity area")), ("status", gettext_lazy("Status")), ("start_on", gettext_lazy("Start date")),
    ("end_on", gettext_lazy("End date")), ("award_approved_yen", gettext_lazy("Approved amount, all years (yen)")),
    ("approved_yen", gettext_lazy("Approved for the selected years (yen)")), ("paid_yen", gettext_lazy("Paid (yen)")),
    ("actual_yen", gettext_lazy("Actual expenses (yen)")), ("participants", gettext_lazy("Cumulative participants")),
]
AWARD_KEYS = [key for key, _label in AWARD_COLUMNS]


def award_table(awards):
    yield [str(label) for _key, label in AWARD_COLUMNS]
    for a in awards:
        values = {
            "award_number": a.award_number, "title": a.title,
            "programme": a.funding_round.programme.name, "funding_round": a.funding_round.title,
            "theme": str(a.theme) if a.theme else "", "organisation": a.organisation.name,
            "legal_form": a.organisation.get_legal_form_display(),
            "corporate_number": a.organisation.corporate_number, "area": _area(a),
            "status": a.get_status_display(), "start_on": a.start_on.isoformat(),
            "end_on": a.end_on.isoformat(), "award_approved_yen": a.approved_yen,
            "approved_yen": a.approved_in_scope_yen, "paid_yen": a.paid_yen,
            "actual_yen": a.actual_yen, "participants": a.participants,
        }
        yield [values[key] for key in AWARD_KEYS]


def report_table(reports):
    labels = aggregates.Timeliness.labels()
    yield [
        _("Award number"), _("Organisation"), _("Report"), _("Fiscal year"), _("Status"),
        _("Due date"), _("First submitted at (JST)"), _("Timeliness"),
        _("Cumulative participants"), _("Actual expenses (yen)"), _("Counted in totals"),
    ]
    for r in reports:
        counted = r.kind == aggregates.COUNTED_KIND and r.status in aggregates.COUNTED_STATUSES
        yield [
            r.award.award_number, r.award.organisation.name, r.get_kind_display(),
            r.fiscal_year, r.get_status_display(), r.deadline.due_on.isoformat(),
            _local(r.submitted_at), str(labels[r.timeliness]), r.participants, r.actual_yen,
            _("Yes") if counted else _("No"),
        ]


def _evidence_line(row) -> str:
    source = f"{row.report.award.award_number} {row.report.get_kind_display()} FY{row.report.fiscal_year}"
    if row.indicator_actual_id:
        i = row.indicator_actual
        return f"{source} {i.name}: {i.actual} {i.unit} / {i.target}"
    return f"{source} {row.get_field_display()}: {row.quote}"


def finding_table(findings):
    yield [
        _("Number"), _("Type"), _("Statement"), _("Programme"), _("Theme"), _("Award number"),
        _("Fiscal year"), _("Target groups"), _("Features"), _("Prefectures"), _("Evidence"),
        _("Updated at (JST)"),
    ]
    for f in findings:
        yield [
            f.pk, f.get_kind_display(), f.statement, f.programme.name,
            str(f.theme) if f.theme else "", f.award.award_number if f.award else "",
            f.fiscal_year, "、".join(g.name for g in f.target_groups.all()),
            "、".join(t.name for t in f.feature_tags.all()),
            "、".join(PREFECTURE_NAMES_JA.get(c, c) for c in f.prefectures or []),
            "\n".join(_evidence_line(e) for e in f.evidence.all()), _local(f.updated_at),
        ]


# --- Formats -----------------------------------------------------------------------------


def to_csv(rows) -> bytes:
    """UTF-8 with a byte-order mark so Excel reads the Japanese correctly."""
    buffer = StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([neutralise(v) for v in row])
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(rows, *, sheet: str) -> bytes:
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = sheet[:31]
    for row in rows:
        worksheet.append([neutralise(v) for v in row])
    worksheet.freeze_panes = "A2"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- 360Giving open data -------------------------------------------------------------------


def open_data_prefix() -> str:
    return getattr(settings, "OPEN_DATA_ID_PREFIX", DEFAULT_OPEN_DATA_ID_PREFIX)


def _moment(value) -> str:
    """A full date-time in Japan time: 360Giving accepts it wherever a date
    goes, and it cannot also match the date-only pattern (their `oneOf`)."""
    if isinstance(value, datetime):
        value = timezone.localtime(value)
    elif isinstance(value, date):
        value = timezone.make_aware(datetime.combine(value, time.min))
    return value.isoformat(timespec="seconds")


def _months(start: date, end: date) -> int:
    """Whole months from start to end inclusive (1 April–31 March is 12)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    return months + 1 if end.day >= start.day - 1 else months


def organisation_identifier(organisation) -> str:
    """org-id.guide: JP-JCN-<法人番号> where there is one, otherwise an
    identifier under this publisher's prefix."""
    number = (organisation.corporate_number or "").strip()
    if len(number) == 13 and number.isdigit():
        return f"JP-JCN-{number}"
    return f"{open_data_prefix()}org-{organisation.pk}"


def funder_identifier(programme) -> str:
    """OPEN_DATA_FUNDER_ID (e.g. the funder's JP-JCN- identifier) when set."""
    return getattr(settings, "OPEN_DATA_FUNDER_ID", "") or f"{open_data_prefix()}funder"


def _locations(award) -> list[dict]:
    if award.is_nationwide or not award.prefectures:
        return [{"id": "JP", "name": "日本全国" if award.is_nationwide else "日本",
                 "countryCode": "JP", "geoCode": "JP", "geoCodeType": "ISO3166-1"}]
    return [
        {"id": f"JP-{code}", "name": PREFECTURE_NAMES_JA.get(str(code), str(code)),
         "countryCode": "JP", "geoCode": f"JP-{code}", "geoCodeType": "ISO3166-2"}
        for code in sorted({str(c) for c in award.prefectures})
    ]


def open_data_queryset(queryset, scope: aggregates.OutcomeScope):
    return aggregates.scoped_awards(scope, queryset).select_related(
        "organisation", "funding_round", "funding_round__programme", "application",
        "application__decision", "theme",
    ).prefetch_related("consortium_members").order_by("funding_round__fiscal_year", "award_number")


# SECURITY: the public open data names only what a published award notice
# names; awards of rounds still being decided stay out of it.
PUBLIC_ROUND_STATUSES = (FundingRound.Status.DECIDED, FundingRound.Status.ARCHIVED)


def public_open_data_awards(scope: aggregates.OutcomeScope):
    """Awards of decided (or archived) rounds, for anyone."""
    return open_data_queryset(
        Award.objects.filter(funding_round__status__in=PUBLIC_ROUND_STATUSES), scope)


def award_date(award) -> str:
    """360Giving awardDate: when the selection decision (採択決定) was
    recorded, in Japan time; an award made without a recorded decision uses
    the moment it was made. NOTE: a full date-time, see `_moment`."""
    try:
        moment = award.application.decision.decided_at
    except ObjectDoesNotExist:
        moment = award.created_at
    return _moment(moment)


def _member(member) -> dict:
    """A consortium member as a further recipient organisation."""
    number = (member.corporate_number or "").strip()
    identifier = (f"JP-JCN-{number}" if len(number) == 13 and number.isdigit()
                  else f"{open_data_prefix()}member-{member.pk}")
    entry = {"id": identifier, "name": member.name, "addressCountry": "JP"}
    if member.role:
        entry["description"] = f"コンソーシアム構成団体: {member.role}"
    else:
        entry["description"] = "コンソーシアム構成団体"
    return entry


def open_data_grant(award, *, public: bool = False) -> dict:
    """One award as a 360Giving grant: the organisation first, then the
    consortium members, as recipients. `public` describes the grant by its
    title and theme only, never by the application's own text."""
    organisation, funding_round = award.organisation, award.funding_round
    programme = funding_round.programme
    recipient = {"id": organisation_identifier(organisation), "name": organisation.name,
                 "addressCountry": "JP"}
    if organisation.prefecture:
        recipient["addressRegion"] = PREFECTURE_NAMES_JA.get(organisation.prefecture, "")
    if organisation.municipality:
        recipient["addressLocality"] = organisation.municipality
    description = (getattr(award.application, "summary", "") or "").strip() or award.title
    if public:
        description = " — ".join(filter(None, [award.title, str(award.theme or "")]))
    return {
        "id": f"{open_data_prefix()}{award.award_number}",
        "title": award.title,
        "description": description,
        "currency": "JPY",
        "amountAwarded": award.approved_yen,
        "awardDate": award_date(award),
        "plannedDates": [{"startDate": _moment(award.start_on), "endDate": _moment(award.end_on),
                          "duration": _months(award.start_on, award.end_on)}],
        "recipientOrganization": [recipient, *(_member(m) for m in award.consortium_members.all())],
        "fundingOrganization": [{"id": funder_identifier(programme),
                                 "name": programme.funder_name}],
        "beneficiaryLocation": _locations(award),
        "grantProgramme": [{"code": f"{programme.code}-{funding_round.fiscal_year}",
                            "title": funding_round.title}],
        "dateModified": _moment(award.updated_at),
    }


def open_data_package(awards, *, public: bool = False) -> dict:
    grants = [open_data_grant(a, public=public) for a in awards]
    return {
        "grants": grants,
        "version": OPEN_DATA_VERSION,
        "title": "孤独・孤立対策 モデル事業 助成データ",
        "issued": _moment(timezone.now()),
    }


def open_data_json(awards, *, public: bool = False) -> bytes:
    return json.dumps(open_data_package(awards, public=public), ensure_ascii=False,
                      indent=2).encode("utf-8")


OPEN_DATA_COLUMNS = [
    ("Identifier", lambda g: g["id"]),
    ("Title", lambda g: g["title"]),
    ("Description", lambda g: g["description"]),
    ("Currency", lambda g: g["currency"]),
    ("Amount Awarded", lambda g: g["amountAwarded"]),
    ("Award Date", lambda g: g["awardDate"]),
    ("Planned Dates:Start Date", lambda g: g["plannedDates"][0]["startDate"]),
    ("Planned Dates:End Date", lambda g: g["plannedDates"][0]["endDate"]),
    ("Planned Dates:Duration (months)", lambda g: g["plannedDates"][0]["duration"]),
    ("Recipient Org:Identifier", lambda g: g["recipientOrganization"][0]["id"]),
    ("Recipient Org:Name", lambda g: g["recipientOrganization"][0]["name"]),
    ("Recipient Org:City", lambda g: g["recipientOrganization"][0].get("addressLocality", "")),
    ("Recipient Org:County", lambda g: g["recipientOrganization"][0].get("addressRegion", "")),
    ("Recipient Org:Country", lambda g: g["recipientOrganization"][0]["addressCountry"]),
    ("Funding Org:Identifier", lambda g: g["fundingOrganization"][0]["id"]),
    ("Funding Org:Name", lambda g: g["fundingOrganization"][0]["name"]),
    ("Grant Programme:Code", lambda g: g["grantProgramme"][0]["code"]),
    ("Grant Programme:Title", lambda g: g["grantProgramme"][0]["title"]),
    ("Beneficiary Location:Name", lambda g: ";".join(x["name"] for x in g["beneficiaryLocation"])),
    ("Beneficiary Location:Geographic Code",
     lambda g: ";".join(x["geoCode"] for x in g["beneficiaryLocation"])),
    ("Beneficiary Location:Country Code", lambda g: "JP"),
    ("Last Modified", lambda g: g["dateModified"]),
    # An additional column (360Giving allows them): the consortium members.
    ("Consortium Members",
     lambda g: ";".join(x["name"] for x in g["recipientOrganization"][1:])),
]


def open_data_rows(awards, *, public: bool = False):
    """The 360Giving spreadsheet layout (column titles of the standard's
    template); several beneficiary locations share one cell, split by ";"."""
    yield [title for title, _get in OPEN_DATA_COLUMNS]
    for award in awards:
        grant = open_data_grant(award, public=public)
        yield [get(grant) for _title, get in OPEN_DATA_COLUMNS]


def open_data_csv(awards, *, public: bool = False) -> bytes:
    return to_csv(open_data_rows(awards, public=public))


def public_open_data_response(params, fmt: str) -> HttpResponse:
    """The public 360Giving file of decided rounds (programme, round and
    fiscal-year filters as for staff)."""
    awards = public_open_data_awards(OutcomeFilterForm(params or None).scope())
    if fmt == "json":
        body, content_type = open_data_json(awards, public=True), "application/json"
    else:
        body, content_type = open_data_csv(awards, public=True), "text/csv; charset=utf-8"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="360giving.{fmt}"'
    return response


# --- Responses ------------------------------------------------------------------------------

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_KINDS = ("awards", "reports", "findings")


def _listed_awards(user, params):
    """The awards the award list shows for the same query: its filters that
    the dashboard's scope has not (status, overdue reports, prefecture)."""
    awards = Award.objects.visible_to(user)
    listing = AwardFilterForm(params or None)
    if not params or not listing.is_valid():
        return awards
    filters = listing.filters()
    extra = {key: filters[key] for key in ("status", "overdue", "prefecture")}
    if all(value is None for value in extra.values()):
        return awards
    return awards.filter(pk__in=queries.awards_for_list(user, **extra).values("pk"))


def export_response(user, params, kind: str, fmt: str) -> HttpResponse:
    """The body of an export, from querysets scoped to `user`; shared by
    the pages and the API."""
    form = OutcomeFilterForm(params or None)
    scope = form.scope()
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if kind == "open-data":
        awards = open_data_queryset(Award.objects.visible_to(user), scope)
        if fmt == "json":
            body, content_type = open_data_json(awards), "application/json"
        else:
            body, content_type = open_data_csv(awards), "text/csv; charset=utf-8"
        response = HttpResponse(body, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="360giving-{stamp}.{fmt}"'
        return response
    if kind == "awards":
        rows = award_table(awards_for_export(_listed_awards(user, params), scope)
                           .order_by(*queries.award_ordering(params.get("sort") if params else None)))
        sheet = _("Awards")
    elif kind == "reports":
        rows = report_table(
            reports_for_export(ProgressReport.objects.visible_to(user), scope))
        sheet = _("Reports")
    else:
        queryset = FindingFilter(params, queryset=Finding.objects.visible_to(user)).qs
        rows = finding_table(findings_for_export(queryset))
        sheet = _("Findings")
    if fmt == "csv":
        response = HttpResponse(to_csv(rows), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(to_xlsx(rows, sheet=sheet), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{kind}-{stamp}.{fmt}"'
    return response
