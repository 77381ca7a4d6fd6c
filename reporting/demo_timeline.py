"""Dates of the demo's history: spread over the past months, in the order
things happen (created → submitted → reviewed → decided → awarded →
reported), instead of every row saying "a second ago".

The loaders run the real services, so every event row is stamped with the
time of `load_demo`. This pass, run last (reporting.demo.load), rewrites the
timestamps from the domain's own dates: a round's opening and closing
times, the frozen submission times of closed calls, report deadlines and
payment dates. Rows of one subject keep their order (by id); those without
a date of their own are spread evenly between their neighbours. Nothing is
created or deleted, and the result depends only on those dates and on
today, so loading again changes nothing.

NOTE: it writes the timestamps with QuerySet.update/bulk_update, not
through the services: history is being dated, not changed.
"""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from accounts.models import Membership, Organisation, OrganisationEvent
from applications.models import Application, ApplicationEvent, ApplicationVersion
from awards.models import Award, AwardEvent, AwardYear, BudgetChangeRequest, Payment
from core.dates import JST
from grants.models import FundingRound, FundingRoundEvent
from reviews.models import Assignment, Decision, Review, ReviewEvent

from .findings.models import FindingEvent
from .models import ProgressReport, ReportEvent, ReportVersion

HOUR = timedelta(hours=1)
DAY = timedelta(days=1)


def _on(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=JST)


def spread(count: int, start: datetime, end: datetime, anchors: dict[int, datetime]) -> list[datetime]:
    """`count` times in order from after `start` to `end`: the indexes in
    `anchors` take their time (moved, when needed, to keep the order and to
    stay between start and end), the others are spaced evenly between."""
    if count == 0:
        return []
    end = max(end, start + timedelta(minutes=count + 1))
    fixed = [(-1, start)]
    for index in sorted(anchors):
        moment = min(max(anchors[index], start), end)
        fixed.append((index, max(moment, fixed[-1][1] + timedelta(minutes=1))))
    if count - 1 not in anchors:
        fixed.append((count, max(end, fixed[-1][1] + timedelta(minutes=1))))
    times: list[datetime] = []
    for (i0, t0), (i1, t1) in zip(fixed, fixed[1:], strict=False):
        for index in range(i0 + 1, min(i1, count - 1) + 1):
            times.append(t0 + (t1 - t0) * (index - i0) / (i1 - i0))
    return times


def _date_rows(model, rows, start, end, anchor_of) -> list:
    """Give the event rows (one subject, causal order) their times."""
    rows = list(rows)
    anchors = {}
    for index, row in enumerate(rows):
        moment = anchor_of(index, row)
        if moment is not None:
            anchors[index] = moment
    for row, moment in zip(rows, spread(len(rows), start, end, anchors), strict=True):
        row.at = moment
    model.objects.bulk_update(rows, ["at"])
    return rows


class Timeline:
    def __init__(self, now: datetime | None = None):
        self.now = now or timezone.now()
        self.latest = self.now - HOUR
        self.round_times: dict[int, dict[str, datetime]] = {}
        self.decided_at: dict[int, datetime] = {}
        # (award id, report kind, fiscal year): when the report was accepted.
        self.accepted: dict[tuple[int, str, int], datetime] = {}

    def _cap(self, moment: datetime) -> datetime:
        return min(moment, self.latest)

    # --- Rounds ----------------------------------------------------------------------

    def round_times_of(self, funding_round) -> dict[str, datetime]:
        """When the round opened, closed, went to review and was decided."""
        if funding_round.pk not in self.round_times:
            closes = funding_round.closes_at
            span = max(self.now - closes, 4 * DAY)
            reviewing = self._cap(closes + min(2 * DAY, span * 0.1))
            decided = self._cap(closes + min(45 * DAY, span * 0.7))
            starts = [_on(day, 9) for day in Award.objects.filter(
                funding_round=funding_round).values_list("start_on", flat=True) if day]
            if starts and min(starts) - 3 * DAY > reviewing:
                # Decided before the awards start (a past call).
                decided = min(decided, min(starts) - 3 * DAY)
            self.round_times[funding_round.pk] = {
                "start": funding_round.opens_at - 30 * DAY, "open": funding_round.opens_at,
                "closed": closes, "reviewing": reviewing, "decided": max(decided, reviewing + HOUR),
            }
        return self.round_times[funding_round.pk]

    def rounds(self) -> None:
        for funding_round in FundingRound.objects.all():
            times = self.round_times_of(funding_round)
            FundingRound.objects.filter(pk=funding_round.pk).update(created_at=times["start"])
            _date_rows(
                FundingRoundEvent, funding_round.events.order_by("id"),
                times["start"], self._cap(max(times["decided"], times["open"])),
                lambda i, e, t=times: t["start"] + HOUR if i == 0 else (
                    t.get(e.to_status) if e.action == "status" else None),
            )

    # --- Reviews and decisions --------------------------------------------------------

    def reviews(self) -> None:
        for funding_round in FundingRound.objects.filter(review_events__isnull=False).distinct():
            times = self.round_times_of(funding_round)
            decisions = list(Decision.objects.filter(funding_round=funding_round).order_by("id"))
            for index, decision in enumerate(decisions):
                decision.decided_at = times["decided"] + index * 10 * timedelta(minutes=1)
                self.decided_at[decision.application_id] = decision.decided_at
            Decision.objects.bulk_update(decisions, ["decided_at"])
            rows = _date_rows(
                ReviewEvent, funding_round.review_events.order_by("id"),
                times["reviewing"], times["decided"] + len(decisions) * 10 * timedelta(minutes=1),
                lambda _i, e: self.decided_at.get(e.application_id) if e.action == "decided" else None,
            )
            for event in rows:
                if event.action == "review_submitted":
                    Review.objects.filter(assignment__application_id=event.application_id,
                                          assignment__reviewer_id=event.actor_id,
                                          submitted_at__isnull=False).update(submitted_at=event.at)
                elif event.action == "no_conflict_declared":
                    Assignment.objects.filter(application_id=event.application_id,
                                              reviewer_id=event.actor_id,
                                              no_conflict_declared_at__isnull=False,
                                              ).update(no_conflict_declared_at=event.at)

    # --- Applications -----------------------------------------------------------------

    def applications(self) -> None:
        for application in Application.objects.select_related("funding_round").order_by("id"):
            times = self.round_times_of(application.funding_round)
            versions = list(application.versions.order_by("number"))
            for version in versions:
                # Submitted in an open round during the load: a few days ago.
                recent = self.now - (2 * DAY + application.pk * 3 * HOUR)
                if version.submitted_at > recent:
                    version.submitted_at = max(times["open"] + 2 * HOUR, recent)
            ApplicationVersion.objects.bulk_update(versions, ["submitted_at"])
            if versions:
                first = versions[0].submitted_at
            elif times["closed"] < self.now:
                first = times["closed"] - 2 * DAY  # moved on by staff, no version kept
            else:
                first = self.now - DAY
            created = max(first - (10 + application.pk % 7) * DAY, times["open"] + HOUR)
            created = min(created, first - HOUR)
            Application.objects.filter(pk=application.pk).update(
                created_at=created,
                submitted_at=versions[-1].submitted_at if versions else None)
            submitted = iter([v.submitted_at for v in versions] or [first])
            decided = self.decided_at.get(application.pk, times["decided"])

            def anchor(_index, event, submitted=submitted, times=times, decided=decided):
                if event.action != "status":
                    return None
                if event.to_status == Application.Status.SUBMITTED:
                    return next(submitted, None)
                if event.to_status == Application.Status.UNDER_REVIEW:
                    return times["reviewing"]
                if event.to_status in (Application.Status.AWARDED, Application.Status.DECLINED):
                    return decided
                return None

            _date_rows(ApplicationEvent, application.events.order_by("id"), created,
                       self.latest, anchor)

    # --- Awards, payments and reports -------------------------------------------------

    def awards(self) -> None:
        for award in Award.objects.select_related("application", "funding_round").order_by("id"):
            decided = self.decided_at.get(
                award.application_id, self.round_times_of(award.funding_round)["decided"])
            created = self._cap(min(decided + DAY, _on(award.start_on, 9) - DAY)
                                if award.start_on else decided + DAY)
            Award.objects.filter(pk=award.pk).update(created_at=created)
            award.years.update(created_at=created)
            for payment in Payment.objects.filter(award_year__award=award):
                Payment.objects.filter(pk=payment.pk).update(
                    recorded_at=self._cap(max(_on(payment.paid_on, 11), created)))

            def anchor(index, event, award=award, created=created):
                if index == 0:
                    return created
                year = event.award_year.fiscal_year if event.award_year else None
                annual = self.accepted.get((award.pk, "annual", year))
                if (event.action == AwardEvent.Action.YEAR_STATE
                        and event.to_status == AwardYear.State.REPORTED and annual):
                    return annual + HOUR
                if annual and (event.action == AwardEvent.Action.SETTLED or (
                        event.action == AwardEvent.Action.YEAR_STATE
                        and event.to_status == AwardYear.State.SETTLED)):
                    return annual + 7 * DAY
                if event.action == AwardEvent.Action.STATUS and event.to_status == Award.Status.COMPLETED:
                    final = [t for (pk, kind, _fy), t in self.accepted.items()
                             if pk == award.pk and kind == "final"]
                    return max(final) + DAY if final else None
                if (event.action == AwardEvent.Action.PAYMENT_RECORDED
                        and (event.changes or {}).get("paid_on")):
                    return _on(date.fromisoformat(event.changes["paid_on"]), 11)
                if (event.action == AwardEvent.Action.YEAR_STATE
                        and event.to_status == AwardYear.State.ACTIVE and event.award_year):
                    return max(_on(date(event.award_year.fiscal_year, 4, 1), 9),
                               _on(award.start_on, 9))
                return None

            rows = _date_rows(AwardEvent, award.events.select_related("award_year").order_by("id"),
                              created - HOUR, self.latest, anchor)
            requested = iter(e.at for e in rows if e.action == "change_requested")
            for change in BudgetChangeRequest.objects.filter(
                    award_year__award=award).order_by("id"):
                moment = next(requested, None)
                if moment is not None:
                    BudgetChangeRequest.objects.filter(pk=change.pk).update(created_at=moment)

    def reports(self) -> None:
        for report in ProgressReport.objects.select_related("deadline").order_by("id"):
            due = _on(report.deadline.due_on, 17)
            submissions = iter([due - 3 * DAY, due + 10 * DAY])

            def anchor(_index, event, due=due, submissions=submissions):
                if event.action == "created":
                    return due - 25 * DAY
                if event.to_status == ProgressReport.Status.SUBMITTED:
                    return next(submissions, None)
                if event.to_status == ProgressReport.Status.REVISION_REQUESTED:
                    return due + 5 * DAY
                if event.to_status == ProgressReport.Status.ACCEPTED:
                    return due + 20 * DAY
                return None

            rows = _date_rows(ReportEvent, report.events.order_by("id"), due - 30 * DAY,
                              self._cap(due + 30 * DAY), anchor)
            sent = [e.at for e in rows if e.to_status == ProgressReport.Status.SUBMITTED]
            accepted = [e.at for e in rows if e.to_status == ProgressReport.Status.ACCEPTED]
            if accepted:
                self.accepted[(report.award_id, report.kind, report.fiscal_year)] = accepted[-1]
            versions = list(ReportVersion.objects.filter(report=report).order_by("number"))
            for version, moment in zip(versions, sent, strict=False):
                version.submitted_at = moment
            ReportVersion.objects.bulk_update(versions, ["submitted_at"])
            ProgressReport.objects.filter(pk=report.pk).update(
                created_at=rows[0].at if rows else due - 25 * DAY,
                submitted_at=sent[0] if sent else None,
                last_submitted_at=sent[-1] if sent else None,
                accepted_at=accepted[-1] if accepted else report.accepted_at)

    # --- The rest ---------------------------------------------------------------------

    def findings(self) -> None:
        rows = list(FindingEvent.objects.order_by("id"))
        _date_rows(FindingEvent, rows, self.now - 14 * DAY, self.now - DAY, lambda _i, _e: None)

    def organisations(self) -> None:
        for organisation in Organisation.objects.all():
            first = (Application.objects.filter(organisation=organisation)
                     .order_by("created_at").values_list("created_at", flat=True).first())
            created = (first or self.now) - (60 + organisation.pk) * DAY
            Organisation.objects.filter(pk=organisation.pk).update(created_at=created)
            Membership.objects.filter(organisation=organisation).update(created_at=created)
            _date_rows(OrganisationEvent, organisation.events.order_by("id"), created - HOUR,
                       created + DAY, lambda index, _e, c=created: c if index == 0 else None)

    def run(self) -> None:
        self.rounds()
        self.reviews()
        self.applications()
        self.reports()
        self.awards()
        self.findings()
        self.organisations()


def date_history(now: datetime | None = None) -> None:
    Timeline(now).run()
