"""Every write to findings and model report jobs.

A finding belongs to one programme (fixed at creation, since the programme
decides who may edit it). Its theme and award must be of that programme;
its evidence must come from reports of that programme that were handed in,
and a quoted passage must really be in the report. Every change writes a
FindingEvent with the changed fields as {field: [before, after]}.
"""

import re
import unicodedata
from functools import partial

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.errors import DomainError, StaleVersion
from core.prefectures import Prefecture
from core.transitions import actor, record

from ..models import IndicatorActual, ProgressReport
from .models import Finding, FindingEvent, FindingEvidence, ModelReportJob

SCALAR_FIELDS = ("kind", "statement", "theme", "award", "fiscal_year", "prefectures")
M2M_FIELDS = ("target_groups", "feature_tags")
MAX_EVIDENCE = 50



# --- Checks ------------------------------------------------------------------------


def _plain(value):
    """A JSON-friendly value for the event's changes."""
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, list | tuple | set):
        return sorted(_plain(v) for v in value)
    return value


def _check_fields(programme, data: dict) -> dict:
    """Refuse what does not fit the programme; returns cleaned values."""
    cleaned = dict(data)
    if "kind" in data and data["kind"] not in Finding.Kind.values:
        raise DomainError(_("Choose the type of finding."), code="bad_kind", field="kind")
    if "statement" in data:
        cleaned["statement"] = (data["statement"] or "").strip()
        if not cleaned["statement"]:
            raise DomainError(_("Write the finding."), code="required", field="statement")
    if "fiscal_year" in data:
        year = data["fiscal_year"]
        if not isinstance(year, int) or not 2000 <= year <= 2100:
            raise DomainError(_("Enter a fiscal year between 2000 and 2100."),
                              code="bad_fiscal_year", field="fiscal_year")
    theme, award = data.get("theme"), data.get("award")
    if award is not None and award.funding_round.programme_id != programme.pk:
        raise DomainError(_("The award is not one of this programme's."),
                          code="award_not_in_programme", field="award")
    if theme is not None and theme.funding_round.programme_id != programme.pk:
        raise DomainError(_("The theme is not one of this programme's."),
                          code="theme_not_in_programme", field="theme")
    if award is not None and theme is not None and award.theme_id not in (None, theme.pk):
        raise DomainError(_("The award belongs to another theme."),
                          code="theme_mismatch", field="theme")
    if "prefectures" in data:
        codes = [str(c) for c in data["prefectures"] or []]
        unknown = [c for c in codes if c not in Prefecture.values]
        if unknown:
            raise DomainError(_("Unknown prefecture code %(code)s.") % {"code": unknown[0]},
                              code="bad_prefecture", field="prefectures")
        cleaned["prefectures"] = sorted(set(codes))
    return cleaned


def _normalise_text(text: str) -> str:
    """NFKC without any white space, so a quote matches despite line
    breaks and full-width characters (Japanese has no spaces between words)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def _evidence_row(programme, item: dict, index: int) -> FindingEvidence:
    """Validate one evidence item: {"report", "field", "quote"} or
    {"indicator_actual"}."""
    where = f"evidence.{index}"
    indicator = item.get("indicator_actual")
    if indicator is not None:
        if not isinstance(indicator, IndicatorActual):
            indicator = IndicatorActual.objects.select_related("report__award__funding_round").filter(
                pk=indicator).first()
        if indicator is None:
            raise DomainError(_("Unknown indicator result."), code="unknown_indicator", field=where)
        report = indicator.report
    else:
        report = item.get("report")
        if report is not None and not isinstance(report, ProgressReport):
            report = ProgressReport.objects.select_related("award__funding_round").filter(
                pk=report).first()
        if report is None:
            raise DomainError(_("Choose the report the evidence comes from."),
                              code="required", field=f"{where}.report")
    if report.award.funding_round.programme_id != programme.pk:
        raise DomainError(_("The report is not one of this programme's."),
                          code="report_not_in_programme", field=f"{where}.report")
    if report.status not in ProgressReport.HANDED_IN:
        raise DomainError(_("Only reports that were handed in can serve as evidence."),
                          code="report_not_handed_in", field=f"{where}.report")
    if indicator is not None:
        return FindingEvidence(report=report, indicator_actual=indicator, sort_order=index)
    field = item.get("field") or ""
    if field not in FindingEvidence.Field.values:
        raise DomainError(_("Choose the part of the report quoted."),
                          code="bad_field", field=f"{where}.field")
    quote = (item.get("quote") or "").strip()
    if not quote:
        raise DomainError(_("Quote the passage."), code="required", field=f"{where}.quote")
    if _normalise_text(quote) not in _normalise_text(getattr(report, field)):
        raise DomainError(
            _("The quoted passage is not in %(part)s of the report; copy it exactly.")
            % {"part": FindingEvidence.Field(field).label},
            code="quote_not_found", field=f"{where}.quote",
        )
    return FindingEvidence(report=report, field=field, quote=quote, sort_order=index)


def _evidence_snapshot(row: FindingEvidence) -> dict:
    if row.indicator_actual_id:
        return {"report": row.report_id, "indicator_actual": row.indicator_actual_id}
    return {"report": row.report_id, "field": row.field, "quote": row.quote}


def _check_evidence(programme, evidence) -> list[FindingEvidence]:
    evidence = list(evidence or [])
    if len(evidence) > MAX_EVIDENCE:
        raise DomainError(_("At most %(n)s pieces of evidence.") % {"n": MAX_EVIDENCE},
                          code="too_much_evidence", field="evidence")
    return [_evidence_row(programme, item, index) for index, item in enumerate(evidence)]


# --- Findings ----------------------------------------------------------------------


@transaction.atomic
def create_finding(*, programme, data: dict, evidence=None, by) -> Finding:
    """Record a finding of a programme; its theme and award default from
    each other (an award's theme) and must belong to the programme."""
    data = {"award": None, "theme": None, "prefectures": [], **data}
    for required in ("kind", "statement", "fiscal_year"):
        if data.get(required) in (None, ""):
            raise DomainError(_("This field is required."), code="required", field=required)
    if data["theme"] is None and data["award"] is not None:
        data["theme"] = data["award"].theme
    cleaned = _check_fields(programme, data)
    rows = _check_evidence(programme, evidence)
    finding = Finding.objects.create(
        programme=programme, created_by=actor(by), updated_by=actor(by),
        **{f: cleaned[f] for f in SCALAR_FIELDS},
    )
    for field in M2M_FIELDS:
        getattr(finding, field).set(cleaned.get(field) or [])
    for row in rows:
        row.finding = finding
    FindingEvidence.objects.bulk_create(rows)
    record(FindingEvent, by=by, action=FindingEvent.Action.CREATED, finding=finding,
           finding_number=finding.pk, changes={
               **{f: _plain(cleaned[f]) for f in SCALAR_FIELDS},
               **{f: _plain(cleaned.get(f) or []) for f in M2M_FIELDS},
               "evidence": [_evidence_snapshot(r) for r in rows],
           })
    return finding


def _locked(finding) -> Finding:
    return Finding.objects.select_for_update(of=("self",)).select_related("programme", "theme", "award").get(
        pk=finding.pk)


@transaction.atomic
def update_finding(*, finding: Finding, data: dict, evidence=None, lock_version=None,
                   by) -> Finding:
    """Change a finding (keys absent from `data` stay). `evidence`, when
    given, replaces all evidence. A stale `lock_version` is refused."""
    finding = _locked(finding)
    if lock_version is not None and int(lock_version) != finding.lock_version:
        raise StaleVersion(_("Someone changed this finding after you opened it. Reload to see "
                             "the latest version."))
    merged = {"theme": finding.theme, "award": finding.award, **data}
    cleaned = _check_fields(finding.programme, merged)
    changes = {}
    for field in SCALAR_FIELDS:
        if field in data and _plain(getattr(finding, field)) != _plain(cleaned[field]):
            changes[field] = [_plain(getattr(finding, field)), _plain(cleaned[field])]
            setattr(finding, field, cleaned[field])
    for field in M2M_FIELDS:
        if field in data:
            before = _plain(list(getattr(finding, field).all()))
            after = _plain(cleaned[field] or [])
            if before != after:
                changes[field] = [before, after]
                getattr(finding, field).set(cleaned[field] or [])
    if evidence is not None:
        rows = _check_evidence(finding.programme, evidence)
        before = [_evidence_snapshot(r) for r in finding.evidence.all()]
        after = [_evidence_snapshot(r) for r in rows]
        if before != after:
            finding.evidence.all().delete()
            for row in rows:
                row.finding = finding
            FindingEvidence.objects.bulk_create(rows)
            changes["evidence"] = [before, after]
    if not changes:
        return finding
    finding.lock_version += 1
    finding.updated_by = actor(by)
    finding.save()
    record(FindingEvent, by=by, action=FindingEvent.Action.UPDATED, finding=finding,
           finding_number=finding.pk, changes=changes)
    return finding


@transaction.atomic
def delete_finding(*, finding: Finding, by, reason: str = "") -> None:
    """Remove a finding; its history stays (FindingEvent keeps the number
    and the statement)."""
    finding = _locked(finding)
    record(FindingEvent, by=by, action=FindingEvent.Action.DELETED, why=reason, finding=finding,
           finding_number=finding.pk, changes={
               "kind": finding.kind, "statement": finding.statement,
               "evidence": [_evidence_snapshot(r) for r in finding.evidence.all()],
           })
    finding.delete()


@transaction.atomic
def add_finding_evidence(*, finding: Finding, item: dict, by) -> FindingEvidence:
    """Link one more report passage or indicator result to a finding."""
    finding = _locked(finding)
    count = finding.evidence.count()
    if count >= MAX_EVIDENCE:
        raise DomainError(_("At most %(n)s pieces of evidence.") % {"n": MAX_EVIDENCE},
                          code="too_much_evidence", field="evidence")
    row = _evidence_row(finding.programme, item, count)
    row.finding = finding
    row.save()
    finding.lock_version += 1
    finding.updated_by = actor(by)
    finding.save(update_fields=["lock_version", "updated_by", "updated_at"])
    record(FindingEvent, by=by, action=FindingEvent.Action.EVIDENCE_ADDED, finding=finding,
           finding_number=finding.pk, changes={"evidence": _evidence_snapshot(row)})
    return row


@transaction.atomic
def remove_finding_evidence(*, evidence: FindingEvidence, by) -> None:
    """Unlink one piece of evidence from its finding."""
    finding = _locked(evidence.finding)
    row = finding.evidence.filter(pk=evidence.pk).first()
    if row is None:
        raise DomainError(_("This evidence was already removed."), code="evidence_gone")
    snapshot = _evidence_snapshot(row)
    row.delete()
    finding.lock_version += 1
    finding.updated_by = actor(by)
    finding.save(update_fields=["lock_version", "updated_by", "updated_at"])
    record(FindingEvent, by=by, action=FindingEvent.Action.EVIDENCE_REMOVED, finding=finding,
           finding_number=finding.pk, changes={"evidence": snapshot})


# --- Model report jobs ---------------------------------------------------------------


def request_model_report(*, programme, fiscal_year: int, by) -> ModelReportJob:
    """Queue the model report of a programme and fiscal year. While one is
    queued or running, that job is returned instead of a second one."""
    from .tasks import generate_model_report

    if not isinstance(fiscal_year, int) or not 2000 <= fiscal_year <= 2100:
        raise DomainError(_("Enter a fiscal year between 2000 and 2100."),
                          code="bad_fiscal_year", field="fiscal_year")
    active = ModelReportJob.objects.filter(
        programme=programme, fiscal_year=fiscal_year, status__in=ModelReportJob.ACTIVE
    )
    try:
        with transaction.atomic():
            existing = active.select_for_update().first()
            if existing is not None:
                return existing
            job = ModelReportJob.objects.create(
                programme=programme, fiscal_year=fiscal_year, requested_by=actor(by),
            )
            transaction.on_commit(partial(generate_model_report.delay, job.pk))
    except IntegrityError:
        # NOTE: another request queued the same report a moment earlier
        # (the partial unique constraint); answer with that job.
        return active.get()
    return job
