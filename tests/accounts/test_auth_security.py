"""Sign-in security through HTTP: lockout after 5 wrong passwords (login page
and API token endpoint share it), the token endpoint's throttle, password
reset by e-mail, and e-mail verification of self-registered accounts."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import signing
from rest_framework.test import APIClient

from accounts.models import AccountEvent, User
from accounts.security import verification_token
from core.models import OutboxMessage
from tests.two_factor import code_for, enrol

LOGIN = "/accounts/login/"
TOKEN = "/api/v1/auth/token/"
PASSWORD = "pw-correct-horse"  # UserFactory's
T0 = datetime(2026, 12, 4, 1, 0, tzinfo=UTC)
pytestmark = pytest.mark.django_db
LINK = re.compile(r"https?://[^/\s]+(/accounts/[^\s]+/)")


def log_in(client, email, password, **extra):
    return client.post(LOGIN, {"username": email, "password": password}, **extra)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


# --- Lockout ----------------------------------------------------------------------


def test_five_wrong_passwords_lock_the_address_out_for_15_minutes(client, applicant):
    with time_machine.travel(T0, tick=False):
        for _attempt in range(4):
            response = log_in(client, applicant.email, "wrong")
            assert response.status_code == 200
            assert "正しいメールアドレスとパスワード" in response.content.decode()
        fifth = log_in(client, applicant.email, "wrong")
        assert fifth.status_code == 429
        page = fifth.content.decode()
        assert "ログインを一時的に停止しています" in page
        assert "15分間" in page

        right = log_in(client, applicant.email, PASSWORD)
        assert right.status_code == 429
        assert not signed_in(client)

    with time_machine.travel(T0 + timedelta(minutes=14, seconds=50), tick=False):
        assert log_in(client, applicant.email, PASSWORD).status_code == 429
        assert not signed_in(client)

    with time_machine.travel(T0 + timedelta(minutes=15, seconds=5), tick=False):
        response = log_in(client, applicant.email, PASSWORD)
        assert response.status_code == 302
        assert signed_in(client)


def test_the_lockout_is_per_address_and_ip_and_counts_case_blind(client, applicant, outsider):
    for email in [applicant.email[0].upper() + applicant.email[1:], applicant.email.upper(),
                  applicant.email,
                  applicant.email, applicant.email.title()]:
        log_in(client, email, "wrong")
    assert log_in(client, applicant.email, PASSWORD).status_code == 429
    # Another account from the same address, and the same account from
    # another address, are not locked.
    assert log_in(client, outsider.email, PASSWORD).status_code == 302
    other = type(client)()
    assert log_in(other, applicant.email, PASSWORD, REMOTE_ADDR="198.51.100.7").status_code == 302


def test_behind_the_proxy_the_address_is_the_last_forwarded_hop(client, applicant, settings):
    settings.BEHIND_PROXY = True
    for n in range(5):  # the client varies the part it controls; the proxy's hop stays
        log_in(client, applicant.email, "wrong", HTTP_X_FORWARDED_FOR=f"10.9.9.{n}, 203.0.113.9")
    assert log_in(client, applicant.email, PASSWORD,
                  HTTP_X_FORWARDED_FOR="10.1.1.1, 203.0.113.9").status_code == 429
    assert log_in(client, applicant.email, PASSWORD,
                  HTTP_X_FORWARDED_FOR="203.0.113.10").status_code == 302


def test_the_lockout_page_is_english_after_switching(client, applicant):
    client.cookies["django_language"] = "en"
    for _attempt in range(5):
        response = log_in(client, applicant.email, "wrong")
    assert response.status_code == 429
    assert "Logging in is locked for a while" in response.content.decode()
    assert "locked for 15 minutes" in response.content.decode()


def test_wrong_passwords_at_the_token_endpoint_lock_the_login_page_too(client, officer):
    api = APIClient()
    for _attempt in range(3):
        assert log_in(client, officer.email, "wrong").status_code == 200
    assert api.post(TOKEN, {"username": officer.email, "password": "wrong"}).status_code == 400
    locked = api.post(TOKEN, {"username": officer.email, "password": "wrong"})
    assert locked.status_code == 429
    assert locked.json()["code"] == "locked_out"

    device = enrol(officer)
    right = api.post(TOKEN, {"username": officer.email, "password": PASSWORD,
                             "otp": code_for(device)}, HTTP_ACCEPT_LANGUAGE="en")
    assert right.status_code == 429
    assert "Try again in 15 minutes" in right.json()["detail"]
    assert "token" not in right.json()
    assert log_in(client, officer.email, PASSWORD).status_code == 429


def test_the_token_endpoint_is_throttled_per_client(settings):
    api = APIClient()
    # Different addresses, so this is the throttle (10 a minute), not the lockout.
    with time_machine.travel(T0, tick=False):
        for n in range(10):
            response = api.post(TOKEN, {"username": f"nobody{n}@example.jp", "password": "x"})
            assert response.status_code == 400
        throttled = api.post(TOKEN, {"username": "nobody-else@example.jp", "password": "x"})
        assert throttled.status_code == 429
        assert int(throttled["Retry-After"]) > 0
    with time_machine.travel(T0 + timedelta(seconds=61), tick=False):
        assert api.post(TOKEN, {"username": "later@example.jp", "password": "x"}).status_code == 400


# --- Password reset ---------------------------------------------------------------


@pytest.fixture
def ask_reset(client, django_capture_on_commit_callbacks):
    def ask(email):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post("/accounts/password-reset/", {"email": email}, follow=True)

    return ask


def test_login_page_links_to_password_reset(client):
    page = client.get(LOGIN).content.decode()
    assert 'href="/accounts/password-reset/"' in page
    assert "パスワードをお忘れの方" in page


def test_password_reset_round_trip(client, applicant, ask_reset, mailoutbox):
    response = ask_reset(applicant.email.upper())

    assert response.redirect_chain == [("/accounts/password-reset/sent/", 302)]
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [applicant.email]
    assert "パスワードの再設定" in mail.subject
    # The link is a secret: its outbox copy is erased once delivered.
    row = OutboxMessage.objects.get()
    assert row.is_sensitive and row.status == "sent" and row.body == ""

    link = LINK.search(mail.body)[1]
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    form_url = form_page.redirect_chain[-1][0]
    done = client.post(form_url, {"new_password1": "new-Sakura-2027!",
                                  "new_password2": "new-Sakura-2027!"})
    assert done.status_code == 302 and done.url == "/accounts/password-reset/done/"
    assert AccountEvent.objects.filter(user=applicant, action="password_reset").count() == 1

    assert log_in(client, applicant.email, PASSWORD).status_code == 200  # old one is gone
    assert log_in(client, applicant.email, "new-Sakura-2027!").status_code == 302

    client.logout()
    used_again = client.get(link, follow=True)
    assert "再設定用のリンクは無効です" in used_again.content.decode()


def test_reset_mails_to_one_account_are_capped_per_hour(applicant, ask_reset, mailoutbox,
                                                       settings):
    """Asking again and again cannot flood the account's inbox: 3 mails an
    hour, and the page answers the same whether a mail went or not."""
    settings.PASSWORD_RESET_MAILS_PER_HOUR = 3
    start = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)
    answers = []
    for minute in range(5):
        with time_machine.travel(start + timedelta(minutes=minute), tick=False):
            answers.append(ask_reset(applicant.email).redirect_chain)
    assert len(mailoutbox) == 3
    assert all(chain == [("/accounts/password-reset/sent/", 302)] for chain in answers)

    with time_machine.travel(start + timedelta(hours=1, minutes=3), tick=False):
        ask_reset(applicant.email)
    assert len(mailoutbox) == 4


def _without_csrf(content: bytes) -> bytes:
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", content)


def test_password_reset_gives_the_same_answer_for_an_unknown_address(
    client, applicant, ask_reset, mailoutbox
):
    known = ask_reset(applicant.email)
    unknown = ask_reset("nobody-here@example.jp")

    assert unknown.redirect_chain == known.redirect_chain
    assert _without_csrf(unknown.content) == _without_csrf(known.content)
    assert len(mailoutbox) == 1  # only the known address got a mail
    assert OutboxMessage.objects.count() == 1


def test_password_reset_without_an_address_names_the_field(client):
    response = client.post("/accounts/password-reset/", {"email": ""})
    assert response.status_code == 200
    assert "メールアドレス: この項目は必須です。" in response.content.decode()


def test_a_new_password_ends_a_lockout(client, applicant, ask_reset, mailoutbox):
    for _attempt in range(5):
        log_in(client, applicant.email, "wrong")
    assert log_in(client, applicant.email, PASSWORD).status_code == 429
    ask_reset(applicant.email)
    form_url = client.get(LINK.search(mailoutbox[-1].body)[1], follow=True).redirect_chain[-1][0]
    client.post(form_url, {"new_password1": "new-Sakura-2027!", "new_password2": "new-Sakura-2027!"})
    assert log_in(client, applicant.email, "new-Sakura-2027!").status_code == 302


# --- E-mail verification ----------------------------------------------------------


@pytest.fixture
def registered(client, django_capture_on_commit_callbacks, mailoutbox):
    """A self-registered applicant, signed in, with the verification mail."""
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/register/", {
            "email": "hanako@npo.example.jp", "full_name": "申請 花子",
            "password1": "Hidamari-2027!", "password2": "Hidamari-2027!",
        })
    assert response.status_code == 302
    return User.objects.get(email="hanako@npo.example.jp")


def test_registration_sends_a_verification_link_and_shows_a_banner(client, registered,
                                                                    mailoutbox):
    assert registered.email_verified_at is None
    assert [m.to for m in mailoutbox] == [["hanako@npo.example.jp"]]
    assert "メールアドレスの確認" in mailoutbox[0].subject
    page = client.get("/accounts/organisations/mine/").content.decode()
    assert "まだ確認されていません" in page
    assert 'action="/accounts/verify-email/"' in page  # the resend button
    assert OutboxMessage.objects.get().is_sensitive


def test_the_link_marks_the_address_verified_once(client, registered, mailoutbox):
    link = LINK.search(mailoutbox[0].body)[1]

    response = client.get(link)

    assert response.status_code == 200
    registered.refresh_from_db()
    assert registered.email_verified_at is not None
    assert "確認しました" in response.content.decode()
    assert "まだ確認されていません" not in response.content.decode()  # no banner any more
    assert "まだ確認されていません" not in client.get("/accounts/organisations/mine/").content.decode()
    assert client.get(link).status_code == 200  # opening it again changes nothing
    assert AccountEvent.objects.filter(user=registered, action="email_verified").count() == 1


def test_a_tampered_link_is_refused(client, registered):
    token = verification_token(registered)
    forged = signing.dumps({"u": registered.pk, "e": "someone@else.example.jp"},
                           salt="accounts.email-verification")
    for bad in (token[:-2] + ("AA" if not token.endswith("AA") else "BB"), forged, "garbage"):
        response = client.get(f"/accounts/verify-email/{bad}/")
        assert response.status_code == 400
        assert "リンクが正しくありません" in response.content.decode()
    registered.refresh_from_db()
    assert registered.email_verified_at is None


def test_an_expired_link_is_refused_and_a_new_one_can_be_sent(
    client, registered, mailoutbox, django_capture_on_commit_callbacks
):
    link = LINK.search(mailoutbox[0].body)[1]
    with time_machine.travel(datetime.now(UTC) + timedelta(days=3, minutes=1)):
        response = client.get(link)
        assert response.status_code == 410
        assert "有効期限が切れています" in response.content.decode()
        registered.refresh_from_db()
        assert registered.email_verified_at is None

        client.force_login(registered)  # the session of 3 days ago has ended
        with django_capture_on_commit_callbacks(execute=True):
            resent = client.post("/accounts/verify-email/", {"next": "/"})
        assert resent.status_code == 302
        assert len(mailoutbox) == 2
        assert client.get(LINK.search(mailoutbox[1].body)[1]).status_code == 200
    registered.refresh_from_db()
    assert registered.email_verified_at is not None


def test_invited_people_are_verified_by_accepting(client, registered, organisation, applicant,
                                                  django_capture_on_commit_callbacks,
                                                  mailoutbox):
    from accounts.services import invite_member

    with django_capture_on_commit_callbacks(execute=True):
        invite_member(organisation=organisation, email=registered.email, by=applicant)
    token = re.search(r"/accounts/invitations/([A-Za-z0-9_-]+)/", mailoutbox[-1].body)[1]
    response = client.post(f"/accounts/invitations/{token}/")
    assert response.status_code == 302
    registered.refresh_from_db()
    assert registered.email_verified_at is not None
    event = AccountEvent.objects.get(user=registered, action="email_verified")
    assert event.changes["how"] == "invitation"
