"""`python manage.py load_demo`: the programmes' real figures, idempotently."""

from io import StringIO

from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory
from django.utils import timezone

from accounts.models import Membership, Organisation, Role, User
from core.corporate_number import is_valid_corporate_number
from core.fiscal import current_fiscal_year
from grants.models import FundingRound, FundingRoundEvent, Programme, ScaleTier, Theme

MODELS = [User, Organisation, Membership, Programme, FundingRound, FundingRoundEvent, Theme, ScaleTier]


def _counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def test_load_demo_twice_changes_nothing(demo):
    first = _counts()
    rounds = list(FundingRound.objects.values_list("pk", "status", "budget_yen", "opens_at", "closes_at"))

    call_command("load_demo", stdout=StringIO())

    assert _counts() == first
    assert list(FundingRound.objects.values_list("pk", "status", "budget_yen", "opens_at", "closes_at")) == rounds


def test_demo_prints_logins_for_every_role(demo):
    assert "demo-pass-2023" in demo
    for email in ["staff@demo.kodoku.jp", "oversight@demo.kodoku.jp", "reviewer1@demo.kodoku.jp",
                  "reviewer3@demo.kodoku.jp", "applicant1@demo.kodoku.jp", "applicant2@demo.kodoku.jp"]:
        assert email in demo
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)
    # NOTE: a request, as django-axes (the lockout) needs one at every login.
    login = RequestFactory().post("/accounts/login/")
    assert authenticate(login, email="applicant1@demo.kodoku.jp",
                        password="demo-pass-2023") is not None
    assert "set up two-factor authentication at their first login" in demo


def test_demo_organisations(demo):
    npo = Organisation.objects.get(prefecture="13", legal_form="npo")
    assert is_valid_corporate_number(npo.corporate_number)
    voluntary = Organisation.objects.get(legal_form="voluntary")
    assert (voluntary.prefecture, voluntary.corporate_number) == ("20", "")
    assert Organisation.objects.get(legal_form="general_assoc").prefecture == "27"
    assert Organisation.objects.get(legal_form="social_welfare").prefecture == "40"
    assert not Organisation.objects.filter(memberships__isnull=True).exists()


def test_programme_a_fy2023_figures(demo):
    programme = Programme.objects.get(code="npo-community")
    funding_round = FundingRound.objects.get(programme=programme, fiscal_year=2023)
    assert funding_round.budget_yen == 115_000_000
    assert list(funding_round.themes.values_list("number", flat=True)) == [1, 2, 3, 4]
    assert funding_round.themes.get(number=1).title_ja == "誰もが気軽に参加できる地域のゆるやかなつながりの場づくり"
    assert "メンズシェッド" in funding_round.themes.get(number=2).example_activities
    assert list(funding_round.tiers.values_list("code", "ceiling_yen")) == [
        ("municipal", 2_000_000), ("school_district", 500_000)
    ]
    assert funding_round.expense_categories.count() == 7
    assert "voluntary" in funding_round.allowed_legal_forms
    assert (funding_round.consortium_allowed, funding_round.min_prefectures) == (False, 1)
    assert timezone.localtime(funding_round.closes_at).isoformat() == "2023-05-31T17:00:00+09:00"
    assert set(programme.staff.values_list("email", flat=True)) == {
        "staff@demo.kodoku.jp", "staff-a@demo.kodoku.jp"
    }


def test_programme_b_fy2023_figures(demo):
    programme = Programme.objects.get(code="intermediary")
    funding_round = FundingRound.objects.get(programme=programme, fiscal_year=2023)
    assert funding_round.budget_yen == 120_000_000
    assert list(funding_round.themes.values_list("number", "min_awards", "max_awards")) == [
        (1, 5, 7), (2, 1, 2), (3, 1, 2), (4, 1, 2), (5, 1, 2)
    ]
    assert list(funding_round.tiers.values_list("ceiling_yen", flat=True)) == [10_000_000]
    assert (funding_round.consortium_allowed, funding_round.min_prefectures) == (True, 2)
    assert "voluntary" not in funding_round.allowed_legal_forms
    assert {"npo", "certified_npo", "general_assoc", "public_found", "social_welfare"} <= set(
        funding_round.allowed_legal_forms
    )
    assert funding_round.expense_categories.count() == 7


def test_demo_has_a_round_accepting_applications_now(demo):
    accepting = [r for r in FundingRound.objects.filter(fiscal_year=current_fiscal_year())
                 if r.is_accepting()]
    assert [r.programme.code for r in accepting] == ["npo-community"]
    funding_round = accepting[0]
    assert timezone.localtime(funding_round.closes_at).strftime("%H:%M") == "17:00"
    assert funding_round.themes.count() == 4 and funding_round.tiers.count() == 2
    assert funding_round.title_ja.startswith("令和")
    assert "open" in set(funding_round.events.values_list("to_status", flat=True))


def test_demo_home_page_shows_both_phases(client, demo):
    response = client.get("/")
    assert len(response.context["accepting"]) == 1
    assert len(response.context["upcoming"]) == 1
