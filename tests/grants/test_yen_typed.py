"""Round pages read typed yen like every other form (issue 13.4): the total
budget and tier ceilings take 万/億 and full-width digits; a bad amount is
refused naming the field in ja and en."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from core.forms import YenField
from grants.forms import RoundForm, TierForm
from grants.models import FundingRound, ScaleTier

from .test_staff_pages import _round_post

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("typed", "expected"), [("１００万", 1_000_000), ("1億", 100_000_000),
                                                 ("1億1,500万円", 115_000_000)])
def test_round_budget_typed_in_units(client, officer, programme, typed, expected):
    client.force_login(officer)
    response = client.post(reverse("grants:round_create"),
                           _round_post(programme=str(programme.pk), budget_yen=typed))
    assert response.status_code == 302
    assert FundingRound.objects.get().budget_yen == expected


@pytest.mark.parametrize(("typed", "expected"), [("２００万", 2_000_000), ("1億", 100_000_000)])
def test_tier_ceiling_typed_in_units(client, officer, draft_round, typed, expected):
    client.force_login(officer)
    response = client.post(reverse("grants:tier_add", args=[draft_round.pk]), {
        "code": "school", "name_ja": "小学校区", "ceiling_yen": typed, "sort_order": "10",
    })
    assert response.status_code == 302
    assert ScaleTier.objects.get(code="school").ceiling_yen == expected


@pytest.mark.parametrize("language", ["ja", "en"])
def test_a_bad_budget_names_the_field(client, officer, programme, language):
    client.force_login(officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.post(reverse("grants:round_create"),
                           _round_post(programme=str(programme.pk), budget_yen="一億"))
    with translation.override(language):
        expected = "{}: {}".format(RoundForm.base_fields["budget_yen"].label,
                                   YenField.default_error_messages["invalid"])
    assert response.status_code == 200
    assert expected in response.content.decode()
    assert not FundingRound.objects.exists()


@pytest.mark.parametrize("language", ["ja", "en"])
def test_a_bad_ceiling_names_the_field(client, officer, draft_round, language):
    client.force_login(officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.post(reverse("grants:tier_add", args=[draft_round.pk]), {
        "code": "school", "name_ja": "小学校区", "ceiling_yen": "2.5", "sort_order": "10",
    })
    with translation.override(language):
        expected = "{}: {}".format(TierForm.base_fields["ceiling_yen"].label,
                                   YenField.default_error_messages["invalid"])
    assert expected in response.content.decode()
    assert not ScaleTier.objects.filter(code="school").exists()
