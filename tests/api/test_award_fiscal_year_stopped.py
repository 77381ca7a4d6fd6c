"""A year that was not continued (stop decision) does not count for
`?fiscal_year=`: neither in /api/v1/awards/ nor on the staff award list.
Programme A's FY2026 round with two-year awards of ¥1,000,000 a year."""

import pytest
from django.urls import reverse

from awards.services import record_continuation
from tests.factories import AwardFactory, OpenRoundFactory, OrganisationFactory, start_year

pytestmark = pytest.mark.django_db


@pytest.fixture
def awards(programme, organisation, officer):
    funding_round = OpenRoundFactory(programme=programme, fiscal_year=2026, max_award_years=2)
    going_on = AwardFactory(application__funding_round=funding_round,
                            application__organisation=organisation)
    stopped = AwardFactory(application__funding_round=funding_round,
                           application__organisation=OrganisationFactory(name="大阪つながり食堂"))
    start_year(going_on, 2027, by=officer)
    record_continuation(award=stopped, fiscal_year=2027, decision="stop",
                        reason="初年度で目標を達成し自走できるため", by=officer)
    return going_on, stopped


def test_api_fiscal_year_leaves_out_a_stopped_year(api_as, awards):
    going_on, stopped = awards
    client = api_as("officer")

    in_2026 = client.get("/api/v1/awards/", {"fiscal_year": 2026}).json()
    in_2027 = client.get("/api/v1/awards/", {"fiscal_year": 2027}).json()

    assert {a["award_number"] for a in in_2026["results"]} == {
        going_on.award_number, stopped.award_number}
    assert [a["award_number"] for a in in_2027["results"]] == [going_on.award_number]
    assert in_2027["count"] == 1


def test_staff_award_list_leaves_out_a_stopped_year(client, officer, awards):
    going_on, stopped = awards
    client.force_login(officer)

    response = client.get(reverse("reporting:award_list"), {"fiscal_year": 2027})

    assert response.status_code == 200
    assert [a.pk for a in response.context["awards"]] == [going_on.pk]
