"""Factories for reviews (named Review* so they never shadow another app's)."""

import factory
from django.utils import timezone

from applications.models import Application
from core.roles import Role
from grants.models import FundingRound
from reviews.models import (
    Assignment,
    Criterion,
    Review,
    ReviewerProfile,
    Rubric,
    Score,
)

from .accounts import OrganisationFactory, UserFactory
from .grants import FundingRoundFactory, ScaleTierFactory, ThemeFactory

__all__ = [
    "ReviewRoundFactory",
    "ReviewApplicationFactory",
    "ReviewerFactory",
    "ReviewerProfileFactory",
    "RubricFactory",
    "CriterionFactory",
    "ReviewAssignmentFactory",
    "ReviewFactory",
    "submitted_review",
]


class ReviewRoundFactory(FundingRoundFactory):
    """A round under review with themes 1 and 2 and one tier."""

    status = FundingRound.Status.REVIEWING

    @factory.post_generation
    def parts(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            ThemeFactory(funding_round=obj, number=1)
            ThemeFactory(funding_round=obj, number=2)
            ScaleTierFactory(funding_round=obj, code="municipal")


class ReviewApplicationFactory(factory.django.DjangoModelFactory):
    """A submitted application (made directly, as a fixture of the review)."""

    class Meta:
        model = Application
        skip_postgeneration_save = True

    funding_round = factory.SubFactory(ReviewRoundFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    theme = factory.LazyAttribute(lambda o: o.funding_round.themes.order_by("number").first())
    tier = factory.LazyAttribute(lambda o: o.funding_round.tiers.order_by("id").first())
    status = Application.Status.SUBMITTED
    title = factory.Sequence(lambda n: f"つながりの場づくり{n}")
    summary = "地域の居場所を開く。"
    requested_yen = 1_000_000
    receipt_number = factory.Sequence(lambda n: f"R-2026-{n:05d}")
    submitted_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def budget(obj, create, extracted, **kwargs):
        """A submitted application carries budget lines adding up to its
        request (one line, personnel, first fiscal year) unless told not to."""
        if not create or extracted is False or not obj.requested_yen:
            return
        from applications.models import BudgetLine

        from .grants import ExpenseCategoryFactory

        category = ExpenseCategoryFactory(code="personnel", name_ja="人件費")
        obj.funding_round.expense_categories.add(category)
        BudgetLine.objects.create(
            application=obj, fiscal_year=obj.funding_round.fiscal_year,
            expense_category=category, amount_yen=obj.requested_yen,
        )


class ReviewerFactory(UserFactory):
    """A reviewer user with a pool profile (`profile__expertise_themes=[1]`)."""

    role = Role.REVIEWER
    full_name = factory.Sequence(lambda n: f"審査委員{n}")
    profile = factory.RelatedFactory(
        "tests.factories.reviews.ReviewerProfileFactory", factory_related_name="user"
    )


class ReviewerProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReviewerProfile

    user = factory.SubFactory(UserFactory, role=Role.REVIEWER)
    affiliation_name = factory.Sequence(lambda n: f"大学{n}")
    expertise_themes = factory.LazyFunction(lambda: [1])
    prefectures = factory.LazyFunction(lambda: ["13"])


class RubricFactory(factory.django.DjangoModelFactory):
    """A rubric with `criteria` criteria of weight 1 on 1–5 (default 2)."""

    class Meta:
        model = Rubric
        skip_postgeneration_save = True

    funding_round = factory.SubFactory(ReviewRoundFactory)

    @factory.post_generation
    def criteria(obj, create, extracted, **kwargs):
        if create:
            for n in range(1, (2 if extracted is None else extracted) + 1):
                CriterionFactory(rubric=obj, position=n)


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    rubric = factory.SubFactory(RubricFactory, criteria=0)
    position = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"観点{n}")
    weight = 1
    scale_min = 1
    scale_max = 5
    descriptors = factory.LazyFunction(lambda: ["不十分", "やや不十分", "普通", "良い", "優れている"])


class ReviewAssignmentFactory(factory.django.DjangoModelFactory):
    """An active assignment whose reviewer has declared no conflict."""

    class Meta:
        model = Assignment

    application = factory.SubFactory(ReviewApplicationFactory, status=Application.Status.UNDER_REVIEW)
    reviewer = factory.SubFactory(ReviewerFactory)
    no_conflict_declared_at = factory.LazyFunction(timezone.now)


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review

    assignment = factory.SubFactory(ReviewAssignmentFactory)


def submitted_review(assignment, values, recommendation="support", **fields) -> Review:
    """A submitted review scoring the round's criteria (in order) with `values`."""
    criteria = list(Criterion.objects.filter(
        rubric__funding_round_id=assignment.application.funding_round_id
    ))
    review = Review.objects.create(
        assignment=assignment, status=Review.Status.SUBMITTED, recommendation=recommendation,
        submitted_at=timezone.now(),
        weighted_total=sum(c.weight * v for c, v in zip(criteria, values, strict=True)), **fields,
    )
    Score.objects.bulk_create(
        Score(review=review, criterion=c, value=v) for c, v in zip(criteria, values, strict=True)
    )
    return review
