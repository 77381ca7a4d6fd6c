"""Issue 12: api.authentication.TokenAuthentication runs DRF's token query
compiled once. It must answer as DRF's class does: the same user and token
(every field), one query, and DRF's refusals for unknown keys and inactive
users; a token deleted or a user deactivated takes effect on the next
request."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework import authentication as drf
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.test import APIClient

from api.authentication import TokenAuthentication
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _fields(instance):
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


def test_same_user_and_token_as_drf(officer, applicant):
    for user in (officer, applicant):
        key = Token.objects.create(user=user).key
        ours_user, ours_token = TokenAuthentication().authenticate_credentials(key)
        drf_user, drf_token = drf.TokenAuthentication().authenticate_credentials(key)
        assert _fields(ours_user) == _fields(drf_user)
        assert _fields(ours_token) == _fields(drf_token)
        assert ours_token.user is ours_user and not ours_user._state.adding
        assert ours_user.has_usable_password() == drf_user.has_usable_password()


def test_one_query():
    key = Token.objects.create(user=UserFactory()).key
    TokenAuthentication().authenticate_credentials(key)
    with CaptureQueriesContext(connection) as queries:
        TokenAuthentication().authenticate_credentials(key)
    assert len(queries.captured_queries) == 1


@pytest.mark.parametrize("language, unknown, inactive", [
    ("en", "Invalid token.", "User inactive or deleted."),
    ("ja", None, None),
])
def test_refusals_as_drf(language, unknown, inactive):
    user = UserFactory()
    key = Token.objects.create(user=user).key
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/applications/").status_code == 200

    client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    response = client.get("/api/v1/applications/")
    assert response.status_code == 401
    with pytest.raises(AuthenticationFailed) as drf_refusal:
        drf.TokenAuthentication().authenticate_credentials("0" * 40)
    assert response.json()["detail"] == str(drf_refusal.value.detail)
    if unknown:
        assert response.json()["detail"] == unknown

    user.is_active = False
    user.save()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = client.get("/api/v1/applications/")
    assert response.status_code == 401
    if inactive:
        assert response.json()["detail"] == inactive

    Token.objects.filter(key=key).delete()
    assert client.get("/api/v1/applications/").status_code == 401
