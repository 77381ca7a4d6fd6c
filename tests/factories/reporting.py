"""Factories for awards (grants) and progress reports (reporting).

Awards are made through the service, as the decision service makes them:
`AwardFactory(application__organisation=org, application__funding_round__programme=p)`.
"""

from datetime import date

import factory

from applications.models import Application, BudgetLine, Indicator
from awards.models import Award, ReportDeadline
from awards.services import create_award_from_application
from grants.models import ExpenseCategory

from .accounts import OrganisationFactory
from .grants import ExpenseCategoryFactory, OpenRoundFactory, TargetGroupFactory

__all__ = [
    "AwardedApplicationFactory",
    "AwardFactory",
    "ReportFactory",
    "DEFAULT_AWARD_BUDGET",
]

# Per fiscal year: personnel 600,000, honoraria 300,000, consumables 100,000.
DEFAULT_AWARD_BUDGET = {"personnel": 600_000, "honoraria": 300_000, "consumables": 100_000}


class AwardedApplicationFactory(factory.django.DjangoModelFactory):
    """An application already awarded, with a two-year budget (FY2026 and
    FY2027 by default), one indicator per year and one target group."""

    class Meta:
        model = Application
        skip_postgeneration_save = True

    funding_round = factory.SubFactory(OpenRoundFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    theme = factory.LazyAttribute(lambda o: o.funding_round.themes.first())
    tier = factory.LazyAttribute(lambda o: o.funding_round.tiers.first())
    status = Application.Status.AWARDED
    title = factory.Sequence(lambda n: f"地域の居場所づくり{n}")
    summary = "誰もが立ち寄れる居場所を運営する。"
    prefectures = ["13"]

    @factory.post_generation
    def budget(obj, create, extracted, **kwargs):
        """`budget={2026: {"personnel": 500_000}}` overrides the default."""
        if not create:
            return
        years = obj.funding_round.fiscal_years
        budget = extracted or dict.fromkeys(years, DEFAULT_AWARD_BUDGET)
        total = 0
        for year, lines in budget.items():
            for code, amount in lines.items():
                category = ExpenseCategoryFactory(code=code)
                obj.funding_round.expense_categories.add(category)
                BudgetLine.objects.create(application=obj, fiscal_year=year,
                                          expense_category=category, amount_yen=amount)
                total += amount
            Indicator.objects.create(application=obj, name="居場所の延べ参加者数", unit="人",
                                     fiscal_year=year, target=500)
        obj.requested_yen = total
        obj.save(update_fields=["requested_yen"])
        obj.target_groups.add(TargetGroupFactory(code="older_alone"))


class AwardFactory(factory.Factory):
    """An award made by create_award_from_application, starting 1 April of
    the round's fiscal year unless `start_on` is given."""

    class Meta:
        model = Award

    application = factory.SubFactory(AwardedApplicationFactory)

    @classmethod
    def _create(cls, model_class, application, **kwargs):
        kwargs.setdefault("start_on", date(application.funding_round.fiscal_year, 4, 1))
        kwargs.setdefault("by", None)
        return create_award_from_application(application=application, **kwargs)

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        raise NotImplementedError("AwardFactory only creates")


class ReportFactory(factory.Factory):
    """A draft report of an award's deadline (default: first year's annual)."""

    class Meta:
        model = ReportDeadline

    award = factory.SubFactory(AwardFactory)
    kind = ReportDeadline.Kind.ANNUAL
    fiscal_year = None

    @classmethod
    def _create(cls, model_class, award, kind, fiscal_year, **kwargs):
        from reporting.services import start_report

        deadlines = award.deadlines.filter(kind=kind)
        if fiscal_year is not None:
            deadlines = deadlines.filter(fiscal_year=fiscal_year)
        deadline = deadlines.order_by("fiscal_year").first()
        return start_report(deadline=deadline, by=kwargs.get("by"))


def category(code: str) -> ExpenseCategory:
    return ExpenseCategory.objects.get(code=code)
