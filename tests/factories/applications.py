"""Factories for applications."""

import factory

from applications.models import Application, ApplicationVersion, BudgetLine, Indicator
from grants.models import TargetGroup

from .accounts import OrganisationFactory
from .grants import OpenRoundFactory

__all__ = ["ApplicationFactory", "BudgetLineFactory", "IndicatorFactory", "submitted_application"]


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A complete draft that passes the rules of an OpenRoundFactory round.

    `ApplicationFactory(organisation__member=user)` makes `user` its owner;
    `lines=[(2026, 2_000_000), ...]` sets the budget (default: one line of
    ¥500,000 in the round's first fiscal year, first enabled category).
    """

    class Meta:
        model = Application
        skip_postgeneration_save = True

    funding_round = factory.SubFactory(OpenRoundFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    theme = factory.LazyAttribute(lambda o: o.funding_round.themes.order_by("number").first())
    tier = factory.LazyAttribute(lambda o: o.funding_round.tiers.order_by("sort_order", "id").first())
    title = factory.Sequence(lambda n: f"地域の居場所づくり事業{n}")
    summary = "誰もが気軽に立ち寄れる居場所を週3回開く。"
    background = "一人暮らしの高齢者が増え、地域のつながりが弱まっている。"
    planned_activities = "地域食堂、見守り訪問、多世代交流イベント。"
    sustainability = "事業終了後は会費と寄付で継続する。"
    prefectures = factory.LazyFunction(lambda: ["13"])
    municipalities = "千代田区"

    @factory.post_generation
    def lines(obj, create, extracted, **kwargs):
        if not create:
            return
        category = obj.funding_round.expense_categories.order_by("sort_order", "code").first()
        rows = extracted if extracted is not None else [(obj.funding_round.fiscal_year, 500_000)]
        BudgetLine.objects.bulk_create(
            BudgetLine(application=obj, fiscal_year=year, expense_category=category,
                       amount_yen=amount, description="スタッフ人件費")
            for year, amount in rows
        )
        obj.requested_yen = sum(amount for _year, amount in rows)
        obj.save(update_fields=["requested_yen"])

    @factory.post_generation
    def target_groups(obj, create, extracted, **kwargs):
        if create:
            groups = extracted if extracted is not None else TargetGroup.objects.filter(
                code="older_alone"
            )
            obj.target_groups.set(groups)


class BudgetLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetLine

    application = factory.SubFactory(ApplicationFactory, lines=[])
    fiscal_year = factory.LazyAttribute(lambda o: o.application.funding_round.fiscal_year)
    expense_category = factory.LazyAttribute(
        lambda o: o.application.funding_round.expense_categories.first()
    )
    amount_yen = 100_000


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    application = factory.SubFactory(ApplicationFactory)
    name = "居場所の延べ参加者数"
    unit = "人"
    fiscal_year = factory.LazyAttribute(lambda o: o.application.funding_round.fiscal_year)
    target = 800


def submitted_application(*, by, **kwargs) -> ApplicationVersion:
    """An application submitted through the service by `by` (a member).
    Returns the version; its `.application` is the application."""
    from applications.services import submit_application

    kwargs.setdefault("organisation__member", by)
    application = ApplicationFactory(**kwargs)
    return submit_application(application=application, by=by)
