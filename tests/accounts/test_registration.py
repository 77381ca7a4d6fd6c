from django.urls import reverse

from accounts.models import Role, User
from tests.factories import UserFactory

URL = reverse("accounts:register")


def _data(**overrides):
    data = {
        "email": "Hanako.Tanaka@Example.JP",
        "full_name": "田中 花子",
        "password1": "kodoku-koritsu-2026",
        "password2": "kodoku-koritsu-2026",
    }
    data.update(overrides)
    return data


def test_registration_page_is_public_and_linked_from_login(client, db):
    assert client.get(URL).status_code == 200
    assert URL in client.get(reverse("accounts:login")).content.decode()


def test_registration_creates_an_applicant_logs_in_and_steers_to_create(client, db):
    response = client.post(URL, _data())

    assert response.status_code == 302
    assert response.url == reverse("accounts:organisation_create")
    user = User.objects.get()
    assert user.email == "hanako.tanaka@example.jp"
    assert user.full_name == "田中 花子"
    assert user.role == Role.APPLICANT
    assert user.check_password("kodoku-koritsu-2026")
    assert int(client.session["_auth_user_id"]) == user.pk
    assert client.get(response.url).status_code == 200


def test_email_is_unique_whatever_its_case(client, db):
    UserFactory(email="hanako.tanaka@example.jp")

    response = client.post(URL, _data())

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["email"]
    assert User.objects.count() == 1
    assert "_auth_user_id" not in client.session


def test_password_mismatch_and_weak_password_name_the_field_and_keep_input(client, db):
    response = client.post(URL, _data(password2="something-else-2026"))
    assert list(response.context["form"].errors) == ["password2"]
    body = response.content.decode()
    assert "田中 花子" in body and "Hanako.Tanaka@Example.JP".lower() in body.lower()

    response = client.post(URL, _data(password1="12345678", password2="12345678"))
    assert "password2" in response.context["form"].errors
    assert not User.objects.exists()


def test_login_by_email_ignores_case(client, db):
    UserFactory(email="hanako@example.jp")

    response = client.post(
        reverse("accounts:login"),
        {"username": "Hanako@Example.jp", "password": "pw-correct-horse"},
    )

    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_registration_returns_to_a_safe_next_only(client, db):
    next_url = "/accounts/invitations/abc/"
    response = client.post(f"{URL}?next={next_url}", _data(next=next_url))
    assert response.url == next_url

    client.logout()
    response = client.post(
        URL, _data(email="other@example.jp", next="https://evil.example/phish")
    )
    assert response.url == reverse("accounts:organisation_create")


def test_signed_in_user_is_sent_to_their_organisations(client, applicant):
    client.force_login(applicant)
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url == reverse("accounts:organisation_mine")
