from datetime import timedelta

import factory
from django.utils import timezone

from grants.models import ExpenseCategory, FundingRound, Programme, ScaleTier, TargetGroup, Theme

__all__ = [
    "ProgrammeFactory",
    "ExpenseCategoryFactory",
    "TargetGroupFactory",
    "FundingRoundFactory",
    "OpenRoundFactory",
    "ThemeFactory",
    "ScaleTierFactory",
]


class ProgrammeFactory(factory.django.DjangoModelFactory):
    """`ProgrammeFactory(staff=[user])` lists staff who may edit it."""

    class Meta:
        model = Programme
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"prog-{n}")
    name_ja = factory.Sequence(lambda n: f"孤独・孤立対策モデル調査{n}")
    name_en = factory.Sequence(lambda n: f"Model study {n}")

    @factory.post_generation
    def staff(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.staff.add(*extracted)


class ExpenseCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExpenseCategory
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"cat-{n}")
    name_ja = factory.Sequence(lambda n: f"経費{n}")
    name_en = factory.Sequence(lambda n: f"Expense {n}")


class TargetGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TargetGroup
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"group-{n}")
    name_ja = factory.Sequence(lambda n: f"対象{n}")
    name_en = factory.Sequence(lambda n: f"Group {n}")


class FundingRoundFactory(factory.django.DjangoModelFactory):
    """A draft round with no themes or tiers; see OpenRoundFactory."""

    class Meta:
        model = FundingRound
        skip_postgeneration_save = True

    programme = factory.SubFactory(ProgrammeFactory)
    fiscal_year = 2026
    title_ja = factory.Sequence(lambda n: f"令和8年度 モデル調査 公募{n}")
    title_en = factory.Sequence(lambda n: f"FY2026 model study call {n}")
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))
    budget_yen = 115_000_000
    max_award_years = 2

    @factory.post_generation
    def expense_categories(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.expense_categories.set(extracted)


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    funding_round = factory.SubFactory(FundingRoundFactory)
    number = factory.Sequence(lambda n: n + 1)
    title_ja = factory.Sequence(lambda n: f"テーマ{n}")
    title_en = factory.Sequence(lambda n: f"Theme {n}")


class ScaleTierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ScaleTier

    funding_round = factory.SubFactory(FundingRoundFactory)
    code = factory.Sequence(lambda n: f"tier-{n}")
    name_ja = "市区町村区域想定"
    name_en = "Municipal area"
    ceiling_yen = 2_000_000


class OpenRoundFactory(FundingRoundFactory):
    """An open round accepting applications, with one theme, one tier and one
    expense category."""

    status = FundingRound.Status.OPEN

    @factory.post_generation
    def complete(obj, create, extracted, **kwargs):
        if not create:
            return
        ThemeFactory(funding_round=obj, number=1)
        ScaleTierFactory(funding_round=obj, code="municipal")
        obj.expense_categories.add(ExpenseCategoryFactory(code="personnel", name_ja="人件費"))
