"""A return for correction (差戻し) is e-mailed to the organisation once."""

import pytest

from applications.models import ApplicationEvent
from applications.services import return_application, submit_application
from applications.tasks import send_return_notice
from core.errors import DomainError
from tests.factories import ApplicationFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def test_return_notice_reaches_members_and_contact_once(
    open_round, organisation, applicant, officer, django_capture_on_commit_callbacks, mailoutbox
):
    colleague = MembershipFactory(organisation=organisation).user
    application = ApplicationFactory(funding_round=open_round, organisation=organisation)
    submit_application(application=application, by=applicant)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        return_application(application=application, by=officer, note="2年目の予算を見直してください。")

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert set(message.to) == {organisation.contact_email, applicant.email, colleague.email}
    application.refresh_from_db()
    assert application.receipt_number in message.subject
    assert "2年目の予算を見直してください。" in message.body
    assert f"/applications/{application.pk}/edit/" in message.body
    assert officer.full_name not in message.body  # staff identity is not needed by applicants

    event = ApplicationEvent.objects.get(application=application, to_status="returned")
    assert event.notified_at is not None
    send_return_notice(event.pk)  # a redelivered task
    assert len(mailoutbox) == 1


def test_refused_return_sends_nothing(
    open_round, organisation, applicant, officer, django_capture_on_commit_callbacks, mailoutbox
):
    application = ApplicationFactory(funding_round=open_round, organisation=organisation)
    submit_application(application=application, by=applicant)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(DomainError):
        return_application(application=application, by=officer, note="  ")

    assert mailoutbox == []
    assert not ApplicationEvent.objects.filter(to_status="returned").exists()
