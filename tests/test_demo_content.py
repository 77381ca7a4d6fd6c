"""`load_demo` fills every page: a review call with submitted applications,
reviews by several reviewers, decisions that made awards; and loading
again creates nothing."""

from io import StringIO

from django.core.management import call_command

from applications import demo as applications_demo
from applications.models import Application, ApplicationVersion
from grants.models import Award, AwardYear
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
    from grants.models import AwardEvent, FundingRoundEvent
    from reporting.findings.models import FindingEvent
    from reporting.models import ReportEvent
    from reviews.models import ReviewEvent

    seen = {}
    for model in (ApplicationEvent, AwardEvent, FundingRoundEvent, OrganisationEvent,
                  CorporateNumberClaimEvent, FindingEvent, ReportEvent, ReviewEvent):
        actions = set(model.objects.values_list("action", flat=True))
        unknown = {a for a in actions - set(model.Action.values)
                   if not (model is ReportEvent and a.startswith("notified_"))}
        assert unknown == set(), f"{model.__name__}: {sorted(unknown)}"
        seen[model.__name__] = actions
    assert "status" in seen["ApplicationEvent"]
    assert {"created", "year_state", "payment_recorded"} <= seen["AwardEvent"]
    assert "status" in seen["FundingRoundEvent"] and "created" in seen["FindingEvent"]
    assert {"auto_assigned", "review_submitted", "decided"} <= seen["ReviewEvent"]
