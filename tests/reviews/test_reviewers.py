"""The reviewer pool: invitations, profiles and conflicts found again when a
profile changes."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import Role, User
from core.errors import DomainError
from reviews.models import Assignment, ConflictOfInterest, ReviewerProfile
from reviews.services import invite_reviewer, update_reviewer_profile
from reviews.tasks import send_reviewer_invitation
from tests.factories import ReviewAssignmentFactory


def test_invitation_creates_a_reviewer_who_sets_a_password(
    client, officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        profile = invite_reviewer(email="Rev@Example.jp", full_name="審査 花子", by=officer,
                                  affiliation_name="市民活動センター", expertise_themes=[2, 1],
                                  prefectures=["13", "01"])
    user = profile.user
    assert (user.email, user.role, user.has_usable_password()) == ("rev@example.jp", Role.REVIEWER,
                                                                   False)
    assert (profile.expertise_themes, profile.prefectures) == ([1, 2], ["01", "13"])
    assert len(mail.outbox) == 1
    assert send_reviewer_invitation(profile.pk) is False and len(mail.outbox) == 1

    link = re.search(r"https?://\S+", mail.outbox[0].body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    response = client.post("/" + path, {"new_password1": "a-long-pass-phrase-9",
                                        "new_password2": "a-long-pass-phrase-9"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a-long-pass-phrase-9")
    assert user.email_verified_at is not None  # the link went to the address
    # Signed in with the password; reviewers set up two-factor authentication next.
    assert client.get(response.url).url.startswith("/accounts/two-factor/enrol/")
    assert type(client)().get("/" + path).status_code == 400  # the link works once


def test_an_account_with_another_role_cannot_be_invited(officer, applicant):
    with pytest.raises(DomainError) as caught:
        invite_reviewer(email=applicant.email, full_name="x", by=officer)
    assert caught.value.code == "email_other_role"
    assert not ReviewerProfile.objects.exists()


def test_invalid_corporate_number_is_refused(officer):
    with pytest.raises(DomainError) as caught:
        invite_reviewer(email="a@b.jp", full_name="x", by=officer,
                        affiliation_corporate_number="1234567890123")
    assert caught.value.field == "affiliation_corporate_number"
    assert not User.objects.filter(email="a@b.jp").exists()


def test_changed_affiliation_withdraws_conflicted_assignments(make_application, officer):
    application = make_application(status="under_review")
    assignment = ReviewAssignmentFactory(application=application)
    profile = assignment.reviewer.reviewer_profile
    update_reviewer_profile(
        profile=profile, by=officer,
        affiliation_corporate_number=application.organisation.corporate_number,
    )
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.CONFLICTED
    assert ConflictOfInterest.objects.get().kind == "corporate_number"


def test_pool_pages_render(client, officer, make_application):
    profile = ReviewAssignmentFactory(
        application=make_application(status="under_review")
    ).reviewer.reviewer_profile
    client.force_login(officer)
    assert profile.user.full_name in client.get(reverse("reviews:reviewers")).content.decode()
    url = reverse("reviews:reviewer_edit", args=[profile.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"affiliation_name": "新しい所属", "expertise_themes": ["3"],
                                 "prefectures": ["27"], "is_active": "on"})
    assert response.status_code == 302
    profile.refresh_from_db()
    assert (profile.affiliation_name, profile.expertise_themes) == ("新しい所属", [3])
    assert profile.user.email != ""  # the disabled e-mail field was not changed
