"""Two-factor authentication through HTTP: programme staff, oversight and
reviewers must set up an authenticator app and give a code after their
password; applicants may. Recovery codes work once each. The API token
endpoint asks for the code too."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from accounts import security
from accounts.models import AccountEvent
from tests.two_factor import code_for, enrol

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
ENROL = "/accounts/two-factor/enrol/"
VERIFY = "/accounts/two-factor/verify/"
TOKEN = "/api/v1/auth/token/"
PASSWORD = "pw-correct-horse"  # UserFactory's
PROTECTED = "/accounts/security/"


@pytest.fixture(autouse=True)
def _real_two_factor(settings):
    """These tests log in through the login page; and no force_login shortcut."""
    settings.OTP_TRUST_FORCE_LOGIN = False


def log_in(client, user):
    response = client.post(LOGIN, {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302, "the password step failed"
    return response


@pytest.fixture(params=["officer", "oversight", "reviewer"])
def needs_two_factor(request):
    """Each role that must use two-factor authentication."""
    return request.getfixturevalue(request.param)


def test_a_role_that_needs_it_is_sent_to_set_it_up(client, needs_two_factor):
    log_in(client, needs_two_factor)

    for path in ("/", PROTECTED, "/rounds/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response.url.startswith(ENROL + "?next=")

    page = client.get(ENROL)
    html = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in html and "<path" in html  # the QR code, inline
    device = TOTPDevice.objects.get(user=needs_two_factor, confirmed=False)
    secret = re.search(r'<code id="totp-secret" class="secret">([A-Z2-7 ]+)</code>', html)[1]
    assert secret.replace(" ", "") == security.base32_secret(device).replace(" ", "")
    assert "http" not in html.split("<svg", 1)[1].split("</svg>", 1)[0].replace(
        "http://www.w3.org/2000/svg", "")  # nothing fetched from elsewhere


def test_setting_up_with_a_right_code_lets_them_in_and_shows_recovery_codes_once(
    client, needs_two_factor
):
    log_in(client, needs_two_factor)
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=needs_two_factor)

    response = client.post(ENROL, {"otp": code_for(device), "next": PROTECTED})

    assert response.status_code == 302
    assert response.url == "/accounts/two-factor/recovery-codes/?next=%2Faccounts%2Fsecurity%2F"
    codes_page = client.get(response.url).content.decode()
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", codes_page)
    assert len(codes) == 10
    assert not re.findall(r"<li><code>", client.get(response.url).content.decode())  # once
    assert client.get(PROTECTED).status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    actions = list(AccountEvent.objects.filter(user=needs_two_factor).values_list("action",
                                                                                  flat=True))
    assert actions == ["two_factor_enrolled", "recovery_codes_created"]


def test_a_wrong_code_at_set_up_is_refused_naming_the_field(client, officer):
    log_in(client, officer)
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=officer)
    wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"

    response = client.post(ENROL, {"otp": wrong})

    assert response.status_code == 400
    assert "ワンタイムコード: コードが正しくありません" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get(PROTECTED).status_code == 302
    assert not AccountEvent.objects.exists()


def test_an_enrolled_role_is_asked_for_a_code_after_the_password(client, needs_two_factor):
    device = enrol(needs_two_factor)
    log_in(client, needs_two_factor)

    response = client.get(PROTECTED)
    assert response.status_code == 302
    assert response.url == f"{VERIFY}?next=%2Faccounts%2Fsecurity%2F"

    wrong = client.post(VERIFY, {"otp": "000000" if code_for(device) != "000000" else "111111",
                                 "next": PROTECTED})
    assert wrong.status_code == 400
    assert "コードが正しくありません" in wrong.content.decode()
    assert client.get(PROTECTED).status_code == 302

    with time_machine.travel(timezone.now() + timedelta(seconds=2)):  # past the 1 s throttle
        right = client.post(VERIFY, {"otp": code_for(device), "next": PROTECTED})
        assert right.status_code == 302 and right.url == PROTECTED
        assert client.get(PROTECTED).status_code == 200


def test_a_code_cannot_be_used_twice(client, officer):
    device = enrol(officer)
    code = code_for(device)
    log_in(client, officer)
    assert client.post(VERIFY, {"otp": code}).status_code == 302
    client.post("/accounts/logout/")

    log_in(client, officer)
    assert client.post(VERIFY, {"otp": code}).status_code == 400


def test_wrong_codes_in_a_row_are_slowed_down(client, officer):
    device = enrol(officer)
    log_in(client, officer)
    with time_machine.travel(timezone.now(), tick=False):
        client.post(VERIFY, {"otp": "000000" if code_for(device) != "000000" else "111111"})

        response = client.post(VERIFY, {"otp": code_for(device)})

    assert response.status_code == 400
    assert "秒待ってから" in response.content.decode()
    assert client.get(PROTECTED).status_code == 302


def test_a_recovery_code_works_once_only(client, reviewer):
    enrol(reviewer)
    codes = security.regenerate_recovery_codes(user=reviewer, by=reviewer)
    log_in(client, reviewer)

    used = client.post(VERIFY, {"otp": codes[0].upper(), "next": PROTECTED})

    assert used.status_code == 302 and used.url == PROTECTED
    assert client.get(PROTECTED).status_code == 200
    event = AccountEvent.objects.get(user=reviewer, action="recovery_code_used")
    assert event.changes == {"left": 9}
    client.post("/accounts/logout/")

    log_in(client, reviewer)
    again = client.post(VERIFY, {"otp": codes[0]})
    assert again.status_code == 400
    assert client.get(PROTECTED).status_code == 302
    with time_machine.travel(timezone.now() + timedelta(seconds=2)):
        assert client.post(VERIFY, {"otp": codes[1]}).status_code == 302


def test_applicants_are_not_forced_but_may_choose_it(client, applicant):
    log_in(client, applicant)
    assert client.get("/applications/").status_code == 200
    page = client.get(PROTECTED).content.decode()
    assert 'href="/accounts/two-factor/enrol/"' in page

    client.get(ENROL)
    device = TOTPDevice.objects.get(user=applicant)
    assert client.post(ENROL, {"otp": code_for(device)}).status_code == 302
    client.post("/accounts/logout/")

    log_in(client, applicant)
    assert client.get("/applications/").url.startswith(VERIFY)


def test_an_applicant_without_an_app_costs_no_device_lookup_per_page(client, applicant):
    """The answer "no code needed" is kept in the session for the role; a new
    role is asked again at once."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    log_in(client, applicant)
    client.get("/applications/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/applications/").status_code == 200
    assert not [q for q in queries.captured_queries if "otp_totp_totpdevice" in q["sql"]]

    applicant.role = "reviewer"
    applicant.save(update_fields=["role"])
    assert client.get("/applications/").url.startswith(ENROL)


def test_removing_it_is_recorded_and_staff_set_it_up_again(client, officer):
    device = enrol(officer)
    log_in(client, officer)
    client.post(VERIFY, {"otp": code_for(device)})

    response = client.post("/accounts/two-factor/remove/")

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=officer).exists()
    assert AccountEvent.objects.get(user=officer, action="two_factor_removed").actor == officer
    client.post("/accounts/logout/")
    log_in(client, officer)
    assert client.get(PROTECTED).url.startswith(ENROL)


def test_open_pages_stay_open_before_the_code(client, officer):
    enrol(officer)
    log_in(client, officer)
    for path in (VERIFY, "/accounts/password-reset/", "/static/css/site.css"):
        assert client.get(path).status_code == 200, path
    assert client.post("/accounts/logout/").status_code == 302


def test_the_session_api_needs_the_code_too(client, officer):
    enrol(officer)
    log_in(client, officer)
    response = client.get("/api/v1/rounds/")
    assert response.status_code == 403
    assert response.json()["code"] == "otp_required"


# --- The API token endpoint -------------------------------------------------------


def test_staff_token_without_a_code_is_a_400_naming_otp(officer):
    enrol(officer)
    api = APIClient()

    response = api.post(TOKEN, {"username": officer.email, "password": PASSWORD})
    assert response.status_code == 400
    assert list(response.json()) == ["otp"]
    assert "二要素認証" in response.json()["otp"][0]

    english = api.post(TOKEN, {"username": officer.email, "password": PASSWORD},
                       HTTP_ACCEPT_LANGUAGE="en")
    assert "two-factor authentication" in english.json()["otp"][0]


def test_staff_token_with_a_wrong_code_is_refused(officer):
    device = enrol(officer)
    right = code_for(device)
    wrong = "000000" if right != "000000" else "111111"

    response = APIClient().post(TOKEN, {"username": officer.email, "password": PASSWORD,
                                        "otp": wrong}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert "The code is not right" in response.json()["otp"][0]
    assert "token" not in response.json()


def test_staff_not_yet_enrolled_get_no_token(officer):
    response = APIClient().post(TOKEN, {"username": officer.email, "password": PASSWORD,
                                        "otp": "123456"})
    assert response.status_code == 400
    assert "otp" in response.json()


def test_a_recovery_code_gets_a_token_once(officer):
    enrol(officer)
    codes = security.regenerate_recovery_codes(user=officer, by=officer)
    api = APIClient()
    first = api.post(TOKEN, {"username": officer.email, "password": PASSWORD, "otp": codes[0]})
    assert first.status_code == 200 and "token" in first.json()
    with time_machine.travel(timezone.now() + timedelta(seconds=2)):
        again = api.post(TOKEN, {"username": officer.email, "password": PASSWORD,
                                 "otp": codes[0]})
    assert again.status_code == 400


def test_applicants_get_a_token_without_a_code(applicant):
    response = APIClient().post(TOKEN, {"username": applicant.email, "password": PASSWORD})
    assert response.status_code == 200


def test_a_superuser_removes_it_for_someone_who_lost_app_and_codes(client, officer, settings):
    from tests.factories import UserFactory

    settings.OTP_TRUST_FORCE_LOGIN = True  # the admin signs in with force_login here
    admin = UserFactory(is_superuser=True, is_staff=True, role="staff")
    enrol(officer)
    client.force_login(admin)

    response = client.post("/admin/accounts/user/", {
        "action": "remove_two_factor", "_selected_action": [officer.pk],
    })

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=officer).exists()
    event = AccountEvent.objects.get(user=officer, action="two_factor_removed")
    assert event.actor == admin
