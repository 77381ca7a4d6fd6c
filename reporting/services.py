"""Every write to progress reports: start, autosave (optimistic lock),
submit (freezes a version), accept, request revision, accept personal data.

Report data has one canonical shape (`report_content`), used by the form,
the API, the frozen versions and the PDF.
"""

from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from awards.models import Award, AwardBudgetLine, AwardYear, ReportDeadline
from awards.services import mark_year_reported
from core.errors import DomainError, StaleVersion
from core.money import format_yen, percent_of
from core.transitions import actor, record, transition
from grants.models import ExpenseCategory, ReportingDefaults, TargetGroup

from .models import (
    ActivityParticipantCount,
    ExpenseActual,
    FeatureTag,
    IndicatorActual,
    ProgressReport,
    ReportActivity,
    ReportEvent,
    ReportVersion,
)
from .privacy import KIND_LABELS, find_personal_data

TEXT_FIELDS = (
    "summary", "outcomes", "know_how", "problems", "episodes", "voices", "sustainability_plan",
)
STARTABLE_YEAR_STATES = (AwardYear.State.ACTIVE, AwardYear.State.REPORTED, AwardYear.State.SETTLED)



CANNOT_MOVE = gettext_lazy("A report cannot move from %(from)s to %(to)s.")


# --- Start ------------------------------------------------------------------------


@transaction.atomic
def start_report(*, deadline: ReportDeadline, by) -> ProgressReport:
    """Open the report of a deadline (once; a second call returns it). The
    year must have started; planned indicators and the approved expense
    categories are filled in."""
    deadline = ReportDeadline.objects.select_for_update(of=("self",)).select_related(
        "award", "award_year", "award__application"
    ).get(pk=deadline.pk)
    existing = ProgressReport.objects.filter(deadline=deadline).first()
    if existing is not None:
        return existing
    if deadline.award.status not in (Award.Status.ACTIVE, Award.Status.COMPLETED):
        raise DomainError(
            _("The award is %(status)s; reports cannot be started.")
            % {"status": Award.Status(deadline.award.status).label},
            code="award_not_active",
        )
    if deadline.award_year.state not in STARTABLE_YEAR_STATES:
        raise DomainError(
            _("FY%(year)s has not started.") % {"year": deadline.fiscal_year},
            code="year_not_started",
        )
    report = ProgressReport.objects.create(
        award=deadline.award, deadline=deadline, kind=deadline.kind,
        fiscal_year=deadline.fiscal_year, created_by=actor(by),
    )
    indicators = deadline.award.application.indicators.filter(fiscal_year=deadline.fiscal_year)
    IndicatorActual.objects.bulk_create(
        IndicatorActual(report=report, indicator=i, name=i.name, unit=i.unit, target=i.target)
        for i in indicators
    )
    report.target_groups.set(deadline.award.target_groups.all())
    if report.has_expenses:
        ExpenseActual.objects.bulk_create(
            ExpenseActual(report=report, expense_category_id=line.expense_category_id)
            for line in deadline.award_year.budget_lines.all()
        )
    record(ReportEvent, report=report, by=by, action=ReportEvent.Action.CREATED,
           to_status=report.status)
    return report


# --- Autosave -----------------------------------------------------------------------


def _locked(report) -> ProgressReport:
    return ProgressReport.objects.select_for_update(of=("self",)).select_related(
        "award", "award__funding_round", "deadline", "deadline__award_year"
    ).get(pk=report.pk)


def _check_version(report: ProgressReport, lock_version) -> None:
    if lock_version is None or int(lock_version) != report.lock_version:
        raise StaleVersion(
            _("Someone saved this report after you opened it. Reload to see the latest "
              "version; your text was not saved.")
        )


def _by_code(model, codes, field: str) -> dict:
    codes = [str(c) for c in codes]
    found = {obj.code: obj for obj in model.objects.filter(code__in=codes)}
    unknown = [c for c in codes if c not in found]
    if unknown:
        raise DomainError(
            _("Unknown code %(code)s.") % {"code": unknown[0]}, code="unknown_code", field=field
        )
    return found


def _save_activities(report, activities: list[dict]) -> None:
    groups = _by_code(
        TargetGroup,
        {code for a in activities for code in (a.get("participants_by_group") or {})},
        "activities",
    )
    report.activities.all().delete()
    for index, data in enumerate(activities):
        total = int(data.get("participants_total") or 0)
        counts = {c: int(n or 0) for c, n in (data.get("participants_by_group") or {}).items()}
        for code, count in counts.items():
            if count > total:
                raise DomainError(
                    _("Activity %(name)s: %(group)s (%(count)s) is more than the total "
                      "participants (%(total)s).")
                    % {"name": data.get("name", ""), "group": groups[code].name,
                       "count": count, "total": total},
                    code="group_above_total", field=f"activities.{index}.participants_by_group",
                )
        activity = ReportActivity.objects.create(
            report=report, name=(data.get("name") or "").strip(),
            description=data.get("description") or "",
            sessions_held=int(data.get("sessions_held") or 0),
            participants_total=total, sort_order=index,
        )
        ActivityParticipantCount.objects.bulk_create(
            ActivityParticipantCount(activity=activity, target_group=groups[code], count=count)
            for code, count in counts.items() if count
        )


def _save_indicators(report, rows: list[dict]) -> None:
    """Rows with an `id` update that actual; rows without add an indicator
    the organisation tracks beyond the plan."""
    existing = {row.pk: row for row in report.indicator_actuals.all()}
    keep = set()
    for index, data in enumerate(rows):
        row = existing.get(data.get("id")) if data.get("id") else None
        if row is None:
            name = (data.get("name") or "").strip()
            if not name:
                raise DomainError(_("Name the indicator."), code="required",
                                  field=f"indicator_actuals.{index}.name")
            row = IndicatorActual(report=report, name=name, unit=data.get("unit") or "",
                                  target=data.get("target"))
        row.actual = data.get("actual")
        row.note = data.get("note") or ""
        row.save()
        keep.add(row.pk)
    # Planned indicators stay; extra ones left out of the data go.
    report.indicator_actuals.filter(indicator__isnull=True).exclude(pk__in=keep).delete()


def _save_expenses(report, rows: list[dict]) -> None:
    categories = _by_code(ExpenseCategory, [r.get("expense_category") for r in rows],
                          "expense_actuals")
    for data in rows:
        ExpenseActual.objects.update_or_create(
            report=report, expense_category=categories[str(data["expense_category"])],
            defaults={"actual_yen": int(data.get("actual_yen") or 0),
                      "explanation": data.get("explanation") or ""},
        )


@transaction.atomic
def save_report_draft(*, report: ProgressReport, data: dict, lock_version, by) -> ProgressReport:
    """Save what the organisation typed (keys absent from `data` stay as
    they are). A stale `lock_version` is refused: StaleVersion."""
    report = _locked(report)
    _check_version(report, lock_version)
    if not report.is_editable:
        raise DomainError(
            _("This report has been submitted and cannot be edited now."), code="not_editable"
        )
    changed = [f for f in TEXT_FIELDS if f in data]
    for field in changed:
        setattr(report, field, data[field] or "")
    if "feature_tags" in data:
        report.feature_tags.set(_by_code(FeatureTag, data["feature_tags"], "feature_tags").values())
    if "target_groups" in data:
        report.target_groups.set(
            _by_code(TargetGroup, data["target_groups"] or [], "target_groups").values())
    if "activities" in data:
        _save_activities(report, data["activities"] or [])
    if "indicator_actuals" in data:
        _save_indicators(report, data["indicator_actuals"] or [])
    if "expense_actuals" in data and report.has_expenses:
        _save_expenses(report, data["expense_actuals"] or [])
    report.lock_version += 1
    report.save()
    return report


# --- Content, checks and submission --------------------------------------------------


def approved_by_category(report: ProgressReport) -> dict[int, int]:
    """{category id: approved yen} of the report's fiscal year, now."""
    return dict(
        AwardBudgetLine.objects.filter(award_year_id=report.deadline.award_year_id)
        .values_list("expense_category_id", "approved_yen")
    )


def report_content(report: ProgressReport) -> dict:
    """The canonical content of a report (frozen in versions)."""
    approved = approved_by_category(report) if report.has_expenses else {}
    return {
        "kind": report.kind,
        "fiscal_year": report.fiscal_year,
        "award_number": report.award.award_number,
        **{field: getattr(report, field) for field in TEXT_FIELDS},
        "feature_tags": [t.code for t in report.feature_tags.all()],
        "target_groups": [g.code for g in report.target_groups.all()],
        "activities": [
            {
                "name": a.name, "description": a.description, "sessions_held": a.sessions_held,
                "participants_total": a.participants_total,
                "participants_by_group": {
                    c.target_group.code: c.count for c in a.participant_counts.all()
                },
            }
            for a in report.activities.prefetch_related("participant_counts__target_group")
        ],
        "indicator_actuals": [
            {"id": i.pk, "name": i.name, "unit": i.unit, "target": i.target, "actual": i.actual,
             "note": i.note}
            for i in report.indicator_actuals.all()
        ],
        "expense_actuals": [
            {"expense_category": e.expense_category.code, "approved_yen": approved.get(
                e.expense_category_id, 0), "actual_yen": e.actual_yen, "explanation": e.explanation}
            for e in report.expense_actuals.select_related("expense_category")
        ] if report.has_expenses else [],
    }


def personal_data_findings(report: ProgressReport) -> list[dict]:
    """Obvious personal data in the report's free text, with the field (its
    path and its label in the active language) and the kind (and its label)."""
    texts = [(field, capfirst(ProgressReport._meta.get_field(field).verbose_name),
              getattr(report, field)) for field in TEXT_FIELDS]
    for index, activity in enumerate(report.activities.all()):
        number = {"number": index + 1}
        texts.append((f"activities.{index}.name", _("Activity %(number)s: name") % number,
                      activity.name))
        texts.append((f"activities.{index}.description",
                      _("Activity %(number)s: description") % number, activity.description))
    for index, row in enumerate(report.indicator_actuals.all()):
        texts.append((f"indicator_actuals.{index}.note", _("%(name)s: note") % {"name": row.name},
                      row.note))
    for index, row in enumerate(report.expense_actuals.all()):
        texts.append((f"expense_actuals.{index}.explanation",
                      _("%(category)s: explanation") % {"category": row.expense_category.name},
                      row.explanation))
    return [
        {"field": field, "field_label": str(label), "kind": kind,
         "kind_label": str(KIND_LABELS[kind]), "text": found}
        for field, label, text in texts
        for kind, found in find_personal_data(text)
    ]


def unaccepted_personal_data(report: ProgressReport) -> list[dict]:
    accepted = set(report.personal_data_accepted or [])
    return [f for f in personal_data_findings(report) if f["text"] not in accepted]


def expense_variances(report: ProgressReport) -> list[dict]:
    """Categories of an annual report whose actual differs from the approved
    amount by more than the round's share; each needs an explanation."""
    if report.kind != ReportDeadline.Kind.ANNUAL:
        return []
    percent = ReportingDefaults.for_round(report.award.funding_round).expense_variance_percent
    approved = approved_by_category(report)
    result = []
    for row in report.expense_actuals.select_related("expense_category"):
        budget = approved.get(row.expense_category_id, 0)
        if abs(row.actual_yen - budget) > percent_of(budget, percent):
            result.append({"row": row, "approved_yen": budget,
                           "explained": bool(row.explanation.strip())})
    return result


def _check_submittable(report: ProgressReport) -> None:
    if not report.summary.strip():
        raise DomainError(_("Write a summary of the period."), code="required", field="summary")
    if report.kind != ReportDeadline.Kind.INTERIM and not report.outcomes.strip():
        raise DomainError(_("Describe the outcomes (成果)."), code="required", field="outcomes")
    for variance in expense_variances(report):
        if not variance["explained"]:
            raise DomainError(
                _("%(category)s: the actual %(actual)s differs from the approved %(approved)s; "
                  "explain the difference.")
                % {"category": variance["row"].expense_category.name,
                   "actual": format_yen(variance["row"].actual_yen),
                   "approved": format_yen(variance["approved_yen"])},
                code="explanation_required", field="expense_actuals",
            )
    findings = unaccepted_personal_data(report)
    if findings:
        raise DomainError(
            _("The report seems to contain personal data (%(text)s in %(field)s). Remove it, "
              "or ask programme staff to accept it if it must stay.")
            % {"text": findings[0]["text"], "field": findings[0]["field_label"]},
            code="personal_data", field=findings[0]["field"],
        )


@transaction.atomic
def submit_report(*, report: ProgressReport, by) -> ProgressReport:
    """Hand the report in: checks pass, the content is frozen as a new
    version, staff are told."""
    from .tasks import notify_report_submitted

    report = _locked(report)
    if not report.is_editable:
        raise DomainError(_("This report has already been submitted."), code="bad_transition")
    _check_submittable(report)
    number = report.versions.count() + 1
    now = timezone.now()
    ReportVersion.objects.create(
        report=report, number=number, content=report_content(report), submitted_at=now,
        submitted_by=actor(by),
    )
    transition(report, ProgressReport.Status.SUBMITTED, by=by, action=ReportEvent.Action.STATUS,
               event_model=ReportEvent, report=report, changes={"version": number}, save=False,
               refusal=CANNOT_MOVE)
    report.submitted_at = report.submitted_at or now
    report.last_submitted_at = now
    report.lock_version += 1
    report.save()
    transaction.on_commit(partial(notify_report_submitted.delay, report.pk, number))
    return report


# --- Staff review -------------------------------------------------------------------------


@transaction.atomic
def accept_report(*, report: ProgressReport, by, comment: str = "") -> ProgressReport:
    """Staff accept a submitted report; an accepted annual report (実績報告)
    marks its fiscal year reported, ready for 額の確定."""
    from .tasks import notify_report_reviewed

    report = _locked(report)
    transition(report, ProgressReport.Status.ACCEPTED, by=by, why=comment,
               action=ReportEvent.Action.STATUS, event_model=ReportEvent, report=report,
               save=False, refusal=CANNOT_MOVE)
    report.accepted_at = timezone.now()
    report.review_comment = comment or ""
    report.save()
    if report.kind == ReportDeadline.Kind.ANNUAL:
        mark_year_reported(award_year=report.deadline.award_year, by=by,
                           reason=_("Annual report accepted."))
    transaction.on_commit(partial(notify_report_reviewed.delay, report.pk))
    return report


@transaction.atomic
def request_report_revision(*, report: ProgressReport, by, comment: str) -> ProgressReport:
    """Staff send a submitted report back with comments; the organisation
    revises and resubmits (a new version)."""
    from .tasks import notify_report_reviewed

    report = _locked(report)
    if not (comment or "").strip():
        raise DomainError(_("Say what needs revising."), code="reason_required", field="comment")
    transition(report, ProgressReport.Status.REVISION_REQUESTED, by=by, why=comment,
               action=ReportEvent.Action.STATUS, event_model=ReportEvent, report=report,
               save=False, refusal=CANNOT_MOVE)
    report.review_comment = comment
    report.lock_version += 1
    report.save()
    transaction.on_commit(partial(notify_report_reviewed.delay, report.pk))
    return report


@transaction.atomic
def accept_personal_data(*, report: ProgressReport, by, reason: str) -> ProgressReport:
    """SECURITY: staff explicitly allow the personal data found now (e.g. a
    public venue's phone number); anything added later is refused again."""
    report = _locked(report)
    if not (reason or "").strip():
        raise DomainError(_("Give a reason."), code="reason_required", field="reason")
    findings = personal_data_findings(report)
    if not findings:
        raise DomainError(_("No personal data was found."), code="nothing_to_accept")
    texts = sorted({f["text"] for f in findings} | set(report.personal_data_accepted or []))
    report.personal_data_accepted = texts
    report.save(update_fields=["personal_data_accepted", "updated_at"])
    record(ReportEvent, report=report, by=by, action=ReportEvent.Action.PERSONAL_DATA_ACCEPTED,
           why=reason, changes={"findings": [{k: f[k] for k in ("field", "kind", "text")} for f in findings]})
    return report
