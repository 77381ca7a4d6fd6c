"""Every rule of applications.rules at its boundary."""

import pytest
from django.utils.text import capfirst

from applications.content import editable_content
from applications.models import Application
from applications.rules import application_problems, content_problems
from core.vocab import LegalForm
from grants.models import FundingRound
from tests.factories import ApplicationFactory, ExpenseCategoryFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def codes(application):
    return [(p.field, p.code) for p in application_problems(application)]


def test_complete_draft_has_no_problems(draft):
    assert application_problems(draft) == []


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        ([(2026, 2_000_000)], []),
        ([(2026, 2_000_001)], [("budget_lines", "over_ceiling")]),
        ([(2026, 1_500_000), (2026, 500_001)], [("budget_lines", "over_ceiling")]),
        ([(2026, 2_000_000), (2027, 2_000_000)], []),
        ([(2026, 2_000_000), (2027, 2_000_001)], [("budget_lines", "over_ceiling")]),
    ],
)
def test_ceiling_per_fiscal_year(open_round, organisation, lines, expected):
    assert open_round.ceiling_basis == FundingRound.CeilingBasis.PER_FISCAL_YEAR
    application = ApplicationFactory(funding_round=open_round, organisation=organisation, lines=lines)
    assert codes(application) == expected


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        ([(2026, 1_000_000), (2027, 1_000_000)], []),
        ([(2026, 1_000_000), (2027, 1_000_001)], [("budget_lines", "over_ceiling")]),
        ([(2026, 2_000_000)], []),
        ([(2026, 2_000_001)], [("budget_lines", "over_ceiling")]),
    ],
)
def test_ceiling_per_award(open_round, organisation, lines, expected):
    open_round.ceiling_basis = FundingRound.CeilingBasis.PER_AWARD
    open_round.save()
    application = ApplicationFactory(funding_round=open_round, organisation=organisation, lines=lines)
    assert codes(application) == expected


def test_over_ceiling_message_names_the_year_and_amounts(open_round, organisation):
    application = ApplicationFactory(
        funding_round=open_round, organisation=organisation, lines=[(2027, 2_000_001)]
    )
    (problem,) = application_problems(application)
    assert "2027" in problem.message
    assert "2,000,001" in problem.message
    assert "2,000,000" in problem.message


def test_only_enabled_expense_categories(draft):
    other = ExpenseCategoryFactory(code="entertainment")
    draft.budget_lines.update(expense_category=other)
    assert codes(draft) == [("budget_lines", "category_not_enabled")]


@pytest.mark.parametrize(("year", "ok"), [(2025, False), (2026, True), (2027, True), (2028, False)])
def test_fiscal_years_inside_the_round_window(open_round, organisation, year, ok):
    assert open_round.fiscal_years == [2026, 2027]
    application = ApplicationFactory(
        funding_round=open_round, organisation=organisation, lines=[(year, 100_000)]
    )
    assert codes(application) == ([] if ok else [("budget_lines", "fiscal_year_outside_round")])


@pytest.mark.parametrize(("amount", "ok"), [(1, True), (0, False), (-5, False), (1.5, False),
                                             ("100", False), (True, False)])
def test_amounts_are_positive_whole_yen(draft, amount, ok):
    content = editable_content(draft)
    content["budget_lines"][0]["amount_yen"] = amount
    problems = content_problems(
        content, funding_round=draft.funding_round, organisation=draft.organisation
    )
    assert [(p.field, p.code) for p in problems] == (
        [] if ok else [("budget_lines", "amount_not_positive")]
    )


@pytest.mark.parametrize("field", ["title", "summary", "background", "planned_activities",
                                   "sustainability"])
def test_required_text_fields_name_the_field(draft, field):
    setattr(draft, field, "   ")
    draft.save()
    (problem,) = application_problems(draft)
    assert (problem.field, problem.code) == (field, "required")
    label = str(capfirst(Application._meta.get_field(field).verbose_name))
    assert label in problem.message


def test_theme_tier_target_groups_and_budget_are_required(draft):
    draft.theme = None
    draft.tier = None
    draft.save()
    draft.target_groups.clear()
    draft.budget_lines.all().delete()
    assert codes(draft) == [
        ("theme", "required"),
        ("tier", "required"),
        ("target_groups", "required"),
        ("budget_lines", "required"),
    ]


def test_other_target_group_text_satisfies_target_groups(draft):
    draft.target_groups.clear()
    draft.target_groups_other = "外国にルーツのある若者"
    draft.save()
    assert codes(draft) == []


class TestActivityArea:
    @pytest.fixture
    def two_needed(self, open_round):
        open_round.min_prefectures = 2
        open_round.save()
        return open_round

    def test_one_prefecture_is_refused_when_two_are_needed(self, two_needed, organisation):
        application = ApplicationFactory(
            funding_round=two_needed, organisation=organisation, prefectures=["13"]
        )
        assert codes(application) == [("prefectures", "too_few_prefectures")]

    def test_two_prefectures_are_enough(self, two_needed, organisation):
        application = ApplicationFactory(
            funding_round=two_needed, organisation=organisation, prefectures=["13", "14"]
        )
        assert codes(application) == []

    def test_the_same_prefecture_twice_counts_once(self, two_needed, organisation):
        content = {"prefectures": ["13", "13"]}
        problems = content_problems(content, funding_round=two_needed, organisation=organisation)
        assert ("prefectures", "too_few_prefectures") in [(p.field, p.code) for p in problems]

    def test_nationwide_satisfies_the_minimum(self, two_needed, organisation):
        application = ApplicationFactory(
            funding_round=two_needed, organisation=organisation, prefectures=[],
            is_nationwide=True,
        )
        assert codes(application) == []

    def test_no_area_at_all_is_required(self, draft):
        draft.prefectures = []
        draft.save()
        assert codes(draft) == [("prefectures", "required")]


class TestLegalForm:
    def test_form_outside_the_allowed_list_is_refused(self, open_round, applicant):
        open_round.allowed_legal_forms = [LegalForm.NPO]
        open_round.save()
        organisation = OrganisationFactory(
            member=applicant, legal_form=LegalForm.VOLUNTARY, corporate_number=""
        )
        application = ApplicationFactory(funding_round=open_round, organisation=organisation)
        assert codes(application) == [("organisation", "legal_form_not_allowed")]

    def test_allowed_form_passes(self, open_round, draft):
        open_round.allowed_legal_forms = [LegalForm.NPO, LegalForm.VOLUNTARY]
        open_round.save()
        assert codes(draft) == []


class TestCorporateNumber:
    def test_voluntary_group_without_a_number_is_fine(self, open_round, applicant):
        organisation = OrganisationFactory(
            member=applicant, legal_form=LegalForm.VOLUNTARY, corporate_number=""
        )
        application = ApplicationFactory(funding_round=open_round, organisation=organisation)
        assert codes(application) == []

    @pytest.mark.parametrize("number", ["", "1234567890123"])
    def test_npo_needs_a_valid_number(self, open_round, applicant, number):
        organisation = OrganisationFactory(
            member=applicant, legal_form=LegalForm.NPO, corporate_number=number
        )
        application = ApplicationFactory(funding_round=open_round, organisation=organisation)
        assert codes(application) == [("organisation", "corporate_number_invalid")]


class TestConsortium:
    member = {"name": "NPO法人 となり", "legal_form": LegalForm.VOLUNTARY,
              "corporate_number": "", "role": "会計"}

    def test_members_are_refused_where_consortia_are_not_allowed(self, draft):
        assert draft.funding_round.consortium_allowed is False
        draft.consortium_members.create(**self.member)
        assert codes(draft) == [("consortium_members", "consortium_not_allowed")]

    def test_members_are_fine_where_allowed(self, draft):
        draft.funding_round.consortium_allowed = True
        draft.funding_round.save()
        draft.is_consortium = True
        draft.save()
        draft.consortium_members.create(**self.member)
        assert codes(draft) == []

    def test_consortium_without_members_is_incomplete(self, draft):
        draft.funding_round.consortium_allowed = True
        draft.funding_round.save()
        draft.is_consortium = True
        draft.save()
        assert codes(draft) == [("consortium_members", "required")]

    def test_incorporated_member_needs_a_valid_number(self, draft):
        draft.funding_round.consortium_allowed = True
        draft.funding_round.save()
        draft.consortium_members.create(**{**self.member, "legal_form": LegalForm.NPO})
        assert codes(draft) == [("consortium_members", "member_corporate_number_invalid")]


def test_indicator_years_inside_the_window(draft):
    draft.indicators.create(name="参加者数", unit="人", fiscal_year=2030, target=10)
    assert codes(draft) == [("indicators", "fiscal_year_outside_round")]
