"""`load_demo` fills every page: a review call with submitted applications,
reviews by several reviewers, decisions that made awards; and loading
again creates nothing."""

from io import StringIO

from django.core.management import call_command

from applications import demo as applications_demo
from applications.models import Application, ApplicationVersion
from awards.models import Award, AwardYear
from reporting.models import ProgressReport
from reviews.models import Assignment, ConflictOfInterest, Decision, Review, ReviewerProfile
from reviews.queries import round_proposal

MODELS = [Application, ApplicationVersion, ReviewerProfile, Assignment, ConflictOfInterest,
          Review, Decision, Award, AwardYear, ProgressReport]


def _counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def test_demo_content_is_rich_and_loading_twice_changes_nothing(demo):
    first = _counts()

    funding_round = applications_demo.review_round()
    assert funding_round is not None and funding_round.status == "reviewing"
    submitted = Application.objects.filter(funding_round=funding_round,
                                           versions__isnull=False).distinct()
    assert submitted.count() >= 8
    reviews = Review.objects.filter(status="submitted",
                                    assignment__application__funding_round=funding_round)
    assert reviews.values("assignment__reviewer").distinct().count() >= 3
    assert ConflictOfInterest.objects.filter(application__funding_round=funding_round,
                                             kind="declared").exists()
    awarded = Decision.objects.filter(funding_round=funding_round, outcome="awarded")
    assert awarded.exists()
    assert Award.objects.filter(application__decision__in=awarded).count() == awarded.count()
    assert Decision.objects.filter(funding_round=funding_round, outcome="declined").exists()
    # Some applications stay undecided, with a funding line between them.
    _ranking, proposal = round_proposal(funding_round)
    assert proposal.funding_line is not None
    assert any(row.selected for row in proposal.rows)
    assert any(not row.selected for row in proposal.rows)

    call_command("load_demo", stdout=StringIO())
    assert _counts() == first


def test_every_history_row_of_the_demo_is_an_action_of_its_event_model(demo):
    """The demo writes through the services, so its history rows hold what
    they write: each an `Action` value of the event model (ReportEvent also
    holds the notice tasks' markers, notified_*)."""
    from accounts.models import CorporateNumberClaimEvent, OrganisationEvent
    from applications.models import ApplicationEvent
    from awards.models import AwardEvent
    from core.models import OutboxEvent
    from grants.models import FundingRoundEvent, ProgrammeEvent
    from reporting.findings.models import FindingEvent
    from reporting.managed_list_models import ManagedListEvent
    from reporting.models import ReportEvent
    from reviews.models import ReviewEvent

    seen = {}
    for model in (ApplicationEvent, AwardEvent, FundingRoundEvent, OrganisationEvent,
                  CorporateNumberClaimEvent, FindingEvent, ReportEvent, ReviewEvent,
                  ProgrammeEvent, ManagedListEvent, OutboxEvent):
        actions = set(model.objects.values_list("action", flat=True))
        unknown = {a for a in actions - set(model.Action.values)
                   if not (model is ReportEvent and a.startswith("notified_"))}
        assert unknown == set(), f"{model.__name__}: {sorted(unknown)}"
        seen[model.__name__] = actions
    assert "status" in seen["ApplicationEvent"]
    assert {"created", "year_state", "payment_recorded"} <= seen["AwardEvent"]
    assert "status" in seen["FundingRoundEvent"] and "created" in seen["FindingEvent"]
    assert {"auto_assigned", "review_submitted", "decided"} <= seen["ReviewEvent"]


def _in_order(times) -> bool:
    return all(a <= b for a, b in zip(times, times[1:], strict=False))


def test_demo_history_is_dated_over_months_in_the_order_things_happen(demo):
    """Issue 13: created → submitted → reviewed → decided → awarded →
    reported, spread over the past months, not all "a second ago"."""
    from datetime import timedelta

    from django.utils import timezone

    from applications.models import ApplicationEvent
    from awards.models import AwardEvent
    from grants.models import FundingRoundEvent
    from reporting.models import ReportEvent
    from reviews.models import ReviewEvent

    now = timezone.now()
    for model, subject in [(ApplicationEvent, "application_id"), (AwardEvent, "award_id"),
                           (FundingRoundEvent, "funding_round_id"), (ReportEvent, "report_id"),
                           (ReviewEvent, "funding_round_id")]:
        rows = list(model.objects.order_by(subject, "id").values_list(subject, "at"))
        assert rows and all(at <= now for _s, at in rows), model.__name__
        by_subject: dict = {}
        for key, at in rows:
            by_subject.setdefault(key, []).append(at)
        assert all(_in_order(times) for times in by_subject.values()), model.__name__
        spread = max(at for _s, at in rows) - min(at for _s, at in rows)
        assert spread > timedelta(days=30), model.__name__

    for application in Application.objects.exclude(status="draft").prefetch_related("events"):
        events = list(application.events.order_by("id"))
        assert application.created_at < events[0].at
        version = application.versions.order_by("number").first()
        if version is not None:
            assert events[0].to_status == "submitted" and events[0].at == version.submitted_at
    for decision in Decision.objects.select_related("application__award"):
        reviewed = Review.objects.filter(assignment__application=decision.application,
                                         status="submitted")
        assert all(review.submitted_at < decision.decided_at for review in reviewed)
        award = getattr(decision.application, "award", None)
        if award is not None:
            assert decision.decided_at < award.created_at
    for report in ProgressReport.objects.prefetch_related("versions", "events"):
        for version in report.versions.all():
            assert report.award.created_at < version.submitted_at <= now


def test_demo_has_a_returned_application_and_an_overdue_report(demo, client):
    from django.urls import reverse
    from django.utils import timezone

    from accounts.models import User
    from awards.models import ReportDeadline
    from reporting.queries import overdue_q

    returned = Application.objects.get(status="returned")
    event = returned.events.get(to_status="returned")
    assert event.from_status == "submitted" and event.reason == returned.screening_note != ""
    assert event.actor.email == "staff@demo.kodoku.jp"

    deadline = ReportDeadline.objects.filter(overdue_q(timezone.now()), report__isnull=False).get()
    assert deadline.report.status == "draft" and deadline.due_on < timezone.localdate()
    owner = User.objects.get(email="applicant1@demo.kodoku.jp")
    assert deadline.award.organisation.memberships.filter(user=owner).exists()

    client.force_login(owner)
    mine = client.get(reverse("reporting:award_mine")).content.decode()
    assert 'class="overdue"' in mine
    form = client.get(reverse("reporting:report_edit", args=[deadline.report.pk])).content.decode()
    assert 'id="overdue-note"' in form
    dashboard = client.get(reverse("applications:dashboard")).content.decode()
    assert returned.title in dashboard
