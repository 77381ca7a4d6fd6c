"""Authentication: a token from e-mail and password, then `Authorization:
Token …`; the browser session works too (with CSRF for writes)."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from grants.models import FundingRound
from tests.two_factor import code_for, enrol

from .helpers import snapshot

TOKEN_URL = "/api/v1/auth/token/"
PASSWORD = "pw-correct-horse"  # set by UserFactory


def test_token_from_email_and_password(api, applicant):
    response = api.post(TOKEN_URL, {"username": applicant.email, "password": PASSWORD})

    assert response.status_code == 200
    assert response.json() == {"token": Token.objects.get(user=applicant).key}


def test_staff_token_needs_email_password_and_one_time_code(api, officer):
    device = enrol(officer)
    response = api.post(TOKEN_URL, {"username": officer.email, "password": PASSWORD,
                                    "otp": code_for(device)})

    assert response.status_code == 200
    assert response.json() == {"token": Token.objects.get(user=officer).key}


def test_asking_twice_returns_the_same_token(api, applicant):
    first = api.post(TOKEN_URL, {"username": applicant.email, "password": PASSWORD}).json()
    second = api.post(TOKEN_URL, {"username": applicant.email, "password": PASSWORD}).json()
    assert first == second


@pytest.mark.parametrize(
    "credentials",
    [
        {"username": "nobody@example.jp", "password": PASSWORD},
        {"username": "WRONG", "password": "nope"},
        {"username": "", "password": ""},
    ],
)
def test_wrong_credentials_get_no_token(api, officer, credentials):
    response = api.post(TOKEN_URL, credentials)
    assert response.status_code == 400
    assert not Token.objects.exists()


def test_wrong_password_gets_no_token(api, officer):
    response = api.post(TOKEN_URL, {"username": officer.email, "password": "wrong"})
    assert response.status_code == 400
    assert "token" not in response.json()


def test_inactive_user_gets_no_token(api, officer):
    officer.is_active = False
    officer.save()
    response = api.post(TOKEN_URL, {"username": officer.email, "password": PASSWORD})
    assert response.status_code == 400


def test_token_header_authenticates_reads_and_writes(api, officer, draft_round):
    device = enrol(officer)
    key = api.post(TOKEN_URL, {"username": officer.email, "password": PASSWORD,
                               "otp": code_for(device)}).json()["token"]
    url = f"/api/v1/rounds/{draft_round.pk}/"

    assert api.get(url).status_code == 404  # a draft, and nobody signed in

    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get(url).status_code == 200
    response = api.patch(url, {"title_ja": "トークンで変更"}, format="json")

    assert response.status_code == 200
    draft_round.refresh_from_db()
    assert draft_round.title_ja == "トークンで変更"


def test_a_bad_token_is_401(api, open_round):
    api.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    response = api.get(f"/api/v1/rounds/{open_round.pk}/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_anonymous_write_is_401_with_a_token_challenge(api, open_round):
    response = api.patch(f"/api/v1/rounds/{open_round.pk}/", {"title_ja": "x"}, format="json")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_session_login_authenticates_the_api(officer, draft_round):
    client = APIClient()
    client.force_login(officer)
    response = client.get(f"/api/v1/rounds/{draft_round.pk}/")
    assert response.status_code == 200
    assert response.json()["status"] == "draft"


def test_session_writes_need_the_csrf_token(officer, draft_round):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(officer)
    before = snapshot()

    response = client.post(f"/api/v1/rounds/{draft_round.pk}/open/", {}, format="json")

    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert snapshot() == before
    assert FundingRound.objects.get().status == "draft"
