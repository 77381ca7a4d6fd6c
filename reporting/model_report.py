"""The model report (取組モデル報告書) of a programme and fiscal year, as a PDF.

For each theme: the funded projects (organisation, activity, area), their
reach, key findings with their evidence, problems and a summary table. The
figures come from reporting.aggregates, so they agree with the dashboard,
the API and the exports. Built in the background (findings.tasks), which
stores progress on the ModelReportJob row as it goes.
"""

import logging
from collections import defaultdict
from collections.abc import Callable

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, Prefetch, Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from reportlab.platypus import PageBreak, Spacer

from core.fiscal import fiscal_year_label, wareki_fiscal_year_label
from core.money import format_yen
from core.pdf import build_pdf, para, table
from core.prefectures import PREFECTURE_NAMES_JA
from grants.models import Programme

from . import aggregates
from .charts import pdf_bar_chart
from .findings.models import Finding, FindingEvidence, ModelReportJob
from .models import ActivityParticipantCount, ReportActivity

logger = logging.getLogger(__name__)

KEY_KINDS = (Finding.Kind.OUTCOME, Finding.Kind.KNOW_HOW, Finding.Kind.RECOMMENDATION)


def _area(award) -> str:
    if award.is_nationwide:
        return _("Nationwide")
    return "、".join(PREFECTURE_NAMES_JA.get(str(c), str(c)) for c in award.prefectures or [])


def _number(value) -> str:
    return f"{int(value or 0):,}"


def _maybe(value) -> str:
    return "—" if value is None else f"{int(value):,}"


class ReportData:
    """Everything the PDF shows, read in a fixed number of queries."""

    def __init__(self, programme: Programme, fiscal_year: int):
        self.programme = programme
        self.fiscal_year = fiscal_year
        self.scope = aggregates.OutcomeScope(programme_id=programme.pk, fiscal_year=fiscal_year)
        self.figures = aggregates.outcomes(self.scope)
        self.awards = list(
            aggregates.scoped_awards(self.scope)
            .select_related("organisation", "theme").order_by("theme__number", "award_number")
        )
        activities = (
            ReportActivity.objects.filter(self.scope.counted_reports_q("report__"))
            .values("report__award_id", "name")
            .annotate(participants=Sum("participants_total"), sessions=Sum("sessions_held"))
            .order_by("report__award_id", "name")
        )
        self.activities = defaultdict(list)
        for row in activities:
            self.activities[row["report__award_id"]].append(row)
        groups = (
            ActivityParticipantCount.objects
            .filter(self.scope.counted_reports_q("activity__report__"))
            .values("activity__report__award__theme_id", "target_group__name_ja",
                    "target_group__sort_order")
            .annotate(participants=Sum("count"), awards=Count("activity__report__award",
                                                               distinct=True))
            .order_by("target_group__sort_order", "target_group__name_ja")
        )
        self.groups_by_theme = defaultdict(list)
        for row in groups:
            self.groups_by_theme[row["activity__report__award__theme_id"]].append(row)
        findings = (
            Finding.objects.filter(programme=programme, fiscal_year=fiscal_year)
            .select_related("award")
            .prefetch_related(Prefetch("evidence", queryset=FindingEvidence.objects.select_related(
                "report__award", "indicator_actual")))
            .order_by("kind", "id")
        )
        self.findings_by_theme = defaultdict(list)
        for finding in findings:
            self.findings_by_theme[finding.theme_id].append(finding)

    def themes(self) -> list[dict]:
        """Theme rows of the figures, plus themes that only have findings."""
        rows = list(self.figures["by_theme"])
        missing = set(self.findings_by_theme) - {row["id"] for row in rows}
        labels = aggregates.Labels()
        labels.want(themes=missing)
        labels.load()
        for theme_id in sorted(missing, key=labels.theme_order):
            rows.append({"id": theme_id, "label": labels.theme(theme_id),
                         "short_label": labels.theme_short(theme_id), "awards": 0,
                         "organisations": 0, "participants": 0, "approved_yen": 0,
                         "paid_yen": 0, "actual_yen": 0})
        return rows


def _evidence_text(row: FindingEvidence) -> str:
    source = _("%(award)s, %(kind)s %(year)s") % {
        "award": row.report.award.award_number, "kind": row.report.get_kind_display(),
        "year": fiscal_year_label(row.report.fiscal_year)}
    if row.indicator_actual_id:
        indicator = row.indicator_actual
        return _("%(source)s — indicator %(name)s: %(actual)s %(unit)s (target %(target)s)") % {
            "source": source, "name": indicator.name, "actual": _maybe(indicator.actual),
            "unit": indicator.unit, "target": _maybe(indicator.target)}
    return _("%(source)s — %(part)s: “%(quote)s”") % {
        "source": source, "part": row.get_field_display(), "quote": row.quote}


def _findings_flowables(findings, heading: str) -> list:
    if not findings:
        return []
    flow = [para(heading, "Heading3")]
    for finding in findings:
        flow.append(para(f"{finding.get_kind_display()}: {finding.statement}", "BodyText"))
        for row in finding.evidence.all():
            flow.append(para("・" + _evidence_text(row), "Small"))
        flow.append(Spacer(1, 4))
    return flow


def _overview(data: ReportData) -> list:
    totals = data.figures["totals"]
    flow = [
        para(_("Overview"), "Heading1"),
        table([
            [_("Awards"), _("Organisations"), _("Cumulative participants"),
             _("Approved"), _("Paid"), _("Actual expenses")],
            [_number(totals["awards"]), _number(totals["organisations"]),
             _number(totals["participants"]), format_yen(totals["approved_yen"]),
             format_yen(totals["paid_yen"]), format_yen(totals["actual_yen"])],
        ]),
        Spacer(1, 8),
        para(_("Cumulative participants are taken from the annual reports (実績報告) handed "
               "in for the fiscal year."), "Small"),
        Spacer(1, 8),
    ]
    themes = [(row["short_label"] or row["label"], row["participants"])
              for row in data.figures["by_theme"]]
    if themes:
        flow.append(pdf_bar_chart(themes, title=_("Cumulative participants by theme")))
    groups = [(row["label"], row["participants"]) for row in data.figures["by_target_group"]]
    if groups:
        flow.append(Spacer(1, 8))
        flow.append(pdf_bar_chart(groups, title=_("Cumulative participants by target group")))
    return flow


def _theme_section(data: ReportData, row: dict) -> list:
    theme_id = row["id"]
    flow = [PageBreak(), para(row["label"], "Heading1"), para(_("Funded projects"), "Heading2")]
    awards = [a for a in data.awards if a.theme_id == theme_id]
    projects = [[_("Organisation"), _("Project and activities"), _("Area"),
                 _("Cumulative participants")]]
    for award in awards:
        activities = data.activities.get(award.pk, [])
        names = "\n".join(f"・{a['name']} ({_number(a['participants'])})" for a in activities)
        projects.append([award.organisation.name, f"{award.title}\n{names}".strip(),
                         _area(award), _number(sum(a["participants"] or 0 for a in activities))])
    if len(projects) > 1:
        flow.append(table(projects, col_widths=[120, 200, 90, 70]))
    else:
        flow.append(para(_("No funded projects in this fiscal year."), "BodyText"))
    flow.append(para(_("Reach"), "Heading2"))
    flow.append(para(_("Cumulative participants: %(n)s") % {"n": _number(row["participants"])}))
    groups = data.groups_by_theme.get(theme_id, [])
    if groups:
        flow.append(table([[_("Target group"), _("Cumulative participants")]] + [
            [g["target_group__name_ja"], _number(g["participants"])] for g in groups
        ], col_widths=[300, 120]))
    findings = data.findings_by_theme.get(theme_id, [])
    flow += _findings_flowables([f for f in findings if f.kind in KEY_KINDS], _("Key findings"))
    flow += _findings_flowables([f for f in findings if f.kind == Finding.Kind.PROBLEM],
                                _("Problems"))
    flow.append(para(_("Summary"), "Heading2"))
    flow.append(table([
        [_("Awards"), _("Organisations"), _("Cumulative participants"), _("Approved"),
         _("Paid"), _("Actual expenses")],
        [_number(row["awards"]), _number(row["organisations"]), _number(row["participants"]),
         format_yen(row["approved_yen"]), format_yen(row["paid_yen"]),
         format_yen(row["actual_yen"])],
    ]))
    return flow


def build_model_report(programme: Programme, fiscal_year: int,
                       progress: Callable[[int, int], None] | None = None) -> bytes:
    """The PDF bytes. `progress(done, total)` is called after each step."""
    data = ReportData(programme, fiscal_year)
    themes = data.themes()
    total = len(themes) + 2
    if progress:
        progress(1, total)
    title = _("%(programme)s — model report, %(wareki)s (%(fy)s)") % {
        "programme": programme.name, "wareki": wareki_fiscal_year_label(fiscal_year),
        "fy": fiscal_year_label(fiscal_year)}
    flow = [para(title, "Title"),
            para(_("Prepared on %(date)s from the reports handed in.")
                 % {"date": timezone.localdate().isoformat()}, "Small")]
    flow += _overview(data)
    for done, row in enumerate(themes, start=2):
        flow += _theme_section(data, row)
        if progress:
            progress(done, total)
    pdf = build_pdf(flow, title=title, author=programme.funder_name)
    if progress:
        progress(total, total)
    return pdf


# --- Background job ---------------------------------------------------------------------


def _claim(job_id: int) -> ModelReportJob | None:
    """Mark the job running; None when it is gone or already done."""
    with transaction.atomic():
        job = ModelReportJob.objects.select_for_update(of=("self",)).select_related("programme").filter(
            pk=job_id).first()
        if job is None or job.status == ModelReportJob.Status.DONE:
            return None
        job.status = ModelReportJob.Status.RUNNING
        job.started_at = timezone.now()
        job.progress_done, job.progress_total = 0, 0
        job.error = ""
        job.save(update_fields=["status", "started_at", "progress_done", "progress_total",
                                "error", "updated_at"])
        return job


def run_model_report_job(job_id: int) -> None:
    """Build the PDF of a job and store it; safe to run twice (a finished
    job is left alone). A failure is recorded on the job, not raised."""
    job = _claim(job_id)
    if job is None:
        return

    def progress(done: int, total: int) -> None:
        ModelReportJob.objects.filter(pk=job.pk).update(progress_done=done, progress_total=total)

    try:
        with translation.override(settings.LANGUAGE_CODE):
            pdf = build_model_report(job.programme, job.fiscal_year, progress)
        name = f"model-report-{job.programme.code}-{job.fiscal_year}-{job.pk}.pdf"
        if job.file:
            job.file.delete(save=False)
        job.file.save(name, ContentFile(pdf), save=False)
        job.refresh_from_db(fields=["progress_done", "progress_total"])
        job.status = ModelReportJob.Status.DONE
        job.finished_at = timezone.now()
        job.save(update_fields=["file", "status", "finished_at", "updated_at"])
    except Exception as error:  # noqa: BLE001 - the job row reports any failure
        logger.exception("model report job %s failed", job.pk)
        ModelReportJob.objects.filter(pk=job.pk).update(
            status=ModelReportJob.Status.FAILED, error=str(error)[:2000],
            finished_at=timezone.now(),
        )
