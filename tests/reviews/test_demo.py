"""Demo review data: nothing without applications; with them, a pool,
rubric, assignments and reviews that fill the ranking; idempotent."""

from io import StringIO

from applications.models import Application
from grants.models import FundingRound
from reviews import demo
from reviews.models import Assignment, ConflictOfInterest, Review, ReviewerProfile, Rubric
from reviews.ranking import round_ranking
from tests.factories import ReviewApplicationFactory, ReviewRoundFactory, UserFactory


def counts():
    return [model.objects.count() for model in
            (ReviewerProfile, Rubric, Assignment, Review, ConflictOfInterest)]


def test_no_application_means_nothing_is_created(db):
    UserFactory(role="reviewer")
    assert demo.load(StringIO()) == []
    assert counts() == [0, 0, 0, 0, 0]


def test_demo_fills_the_ranking_and_is_idempotent(db):
    closed = ReviewRoundFactory(status=FundingRound.Status.CLOSED)
    still_open = ReviewRoundFactory(status=FundingRound.Status.OPEN)
    apps = [ReviewApplicationFactory(funding_round=closed) for _ in range(3)]
    untouched = ReviewApplicationFactory(funding_round=still_open)
    reviewers = [UserFactory(role="reviewer", email=f"reviewer{n}@demo.kodoku.jp")
                 for n in (1, 2, 3)]
    ReviewerProfile.objects.create(user=reviewers[2],
                                   affiliation_corporate_number=apps[0].organisation.corporate_number)

    demo.load(StringIO())
    first = counts()
    assert first[0] == 3 and first[1] == 1
    assert not Assignment.objects.filter(application=apps[0], reviewer=reviewers[2]).exists()
    assert not Assignment.objects.filter(application=untouched).exists()
    assert Application.objects.get(pk=untouched.pk).status == "submitted"
    assert set(Application.objects.filter(pk__in=[a.pk for a in apps]).values_list(
        "status", flat=True)) == {"under_review"}
    ranking = round_ranking(closed)
    assert [row.count > 0 for row in ranking.rows] == [True, True, True]
    assert Assignment.objects.filter(no_conflict_declared_at__isnull=True).count() == 1

    demo.load(StringIO())
    assert counts() == first
