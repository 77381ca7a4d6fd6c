"""Who may write rounds through the API: only staff of the round's programme.
Outside the scope (drafts for non-staff) is 404, inside without the right 403,
not signed in 401, and a refusal changes nothing."""

import pytest

from grants.models import FundingRound, FundingRoundEvent, Programme
from tests.factories import ProgrammeFactory, UserFactory

from .helpers import PERSONAS, snapshot

THEME = {"number": 9, "title_ja": "新しいテーマ"}
TIER = {"code": "district", "name_ja": "小学校区域想定", "ceiling_yen": 500_000}

# (method, path under the round, body); {theme} and {tier} name its children.
WRITES = [
    ("patch", "", {"title_ja": "変更後"}),
    ("post", "open/", {}),
    ("post", "close/", {}),
    ("post", "start-review/", {}),
    ("post", "decide/", {}),
    ("post", "archive/", {"reason": "終了"}),
    ("post", "copy/", {"fiscal_year": 2027}),
    ("post", "themes/", THEME),
    ("patch", "themes/{theme}/", {"title_ja": "変更後"}),
    ("delete", "themes/{theme}/", {}),
    ("post", "tiers/", TIER),
    ("patch", "tiers/{tier}/", {"ceiling_yen": 3_000_000}),
    ("delete", "tiers/{tier}/", {}),
]
WRITE_IDS = [f"{method}-{path or 'round'}" for method, path, _body in WRITES]

# What each persona gets for a write to a published round and to a draft.
ON_PUBLISHED = {
    "anonymous": 401, "applicant": 403, "outsider": 403, "reviewer": 403,
    "oversight": 403, "other_officer": 403,
}
ON_DRAFT = {**ON_PUBLISHED, "applicant": 404, "outsider": 404, "reviewer": 404}


def _url(funding_round, path):
    theme = funding_round.themes.first()
    tier = funding_round.tiers.first()
    path = path.format(theme=theme.pk, tier=tier.pk)
    return f"/api/v1/rounds/{funding_round.pk}/{path}"


def _send(client, method, url, body):
    return getattr(client, method)(url, body, format="json")


@pytest.mark.parametrize(("method", "path", "body"), WRITES, ids=WRITE_IDS)
@pytest.mark.parametrize("persona", list(ON_PUBLISHED))
def test_write_to_published_round_is_refused_and_changes_nothing(
    api_as, persona, open_round, method, path, body
):
    client = api_as(persona)
    before = snapshot()

    response = _send(client, method, _url(open_round, path), body)

    assert response.status_code == ON_PUBLISHED[persona]
    assert snapshot() == before


@pytest.mark.parametrize(("method", "path", "body"), WRITES, ids=WRITE_IDS)
@pytest.mark.parametrize("persona", list(ON_DRAFT))
def test_write_to_draft_is_refused_and_changes_nothing(
    api_as, persona, draft_round, method, path, body
):
    client = api_as(persona)
    before = snapshot()

    response = _send(client, method, _url(draft_round, path), body)

    assert response.status_code == ON_DRAFT[persona]
    assert snapshot() == before


@pytest.mark.parametrize(("method", "path", "body"), WRITES, ids=WRITE_IDS)
def test_superuser_may_write_any_programme(api, open_round, method, path, body):
    api.force_authenticate(UserFactory(is_superuser=True, role="staff"))
    response = _send(api, method, _url(open_round, path), body)
    # Allowed through the permission check: a success or a domain refusal.
    assert response.status_code in {200, 201, 204, 409}


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_staff_of_the_programme_create_rounds(api_as, persona, programme):
    client = api_as(persona)
    body = {
        "programme": programme.code,
        "fiscal_year": 2026,
        "title_ja": "令和8年度 公募",
        "opens_at": "2026-04-01T09:00:00+09:00",
        "closes_at": "2026-05-29T17:00:00+09:00",
        "budget_yen": 115_000_000,
    }

    response = client.post("/api/v1/rounds/", body, format="json")

    expected = {"anonymous": 401, "officer": 201}.get(persona, 403)
    assert response.status_code == expected
    assert FundingRound.objects.count() == (1 if persona == "officer" else 0)


def test_staff_cannot_create_in_a_programme_they_do_not_staff(api, other_officer, programme):
    ProgrammeFactory(staff=[other_officer])
    api.force_authenticate(other_officer)

    response = api.post(
        "/api/v1/rounds/",
        {
            "programme": programme.code, "fiscal_year": 2026, "title_ja": "公募",
            "opens_at": "2026-04-01T09:00:00+09:00", "closes_at": "2026-05-29T17:00:00+09:00",
            "budget_yen": 1_000_000,
        },
        format="json",
    )

    assert response.status_code == 403
    assert not FundingRound.objects.exists()
    assert not FundingRoundEvent.objects.exists()
    assert Programme.objects.count() == 2


HISTORY_ON_PUBLISHED = {
    "anonymous": 401, "applicant": 403, "outsider": 403, "reviewer": 403,
    "oversight": 200, "other_officer": 200, "officer": 200,
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_history_is_for_staff_and_oversight(api_as, persona, open_round, draft_round):
    client = api_as(persona)

    published = client.get(f"/api/v1/rounds/{open_round.pk}/history/")
    draft = client.get(f"/api/v1/rounds/{draft_round.pk}/history/")

    assert published.status_code == HISTORY_ON_PUBLISHED[persona]
    assert draft.status_code == {**HISTORY_ON_PUBLISHED, **dict.fromkeys(
        ["applicant", "outsider", "reviewer"], 404)}[persona]
