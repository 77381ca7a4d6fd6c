"""Submission: open window in JST, rules, idempotency, receipt numbers,
confirmation e-mail, withdrawal, return for correction and resubmission."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from applications.models import Application, ApplicationEvent, ApplicationVersion
from applications.services import (
    RulesFailed,
    return_application,
    save_draft,
    screen_application,
    set_application_status,
    submit_application,
    withdraw_application,
)
from applications.tasks import send_submission_confirmation
from core.errors import DomainError
from core.models import OutboxMessage
from grants.models import FundingRound
from tests.factories import ApplicationFactory, OpenRoundFactory

pytestmark = pytest.mark.django_db
JST = ZoneInfo("Asia/Tokyo")


def state(application):
    application.refresh_from_db()
    return (
        application.status, application.receipt_number, application.submitted_at,
        application.versions.count(), application.events.count(),
    )


def test_submission_freezes_version_one_with_a_receipt(draft, applicant, mailoutbox,
                                                      django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        version = submit_application(application=draft, by=applicant)

    draft.refresh_from_db()
    code = draft.funding_round.programme.code.upper()
    assert draft.status == Application.Status.SUBMITTED
    assert version.number == 1
    assert version.receipt_number == f"{code}-2026-000001"
    assert draft.receipt_number == version.receipt_number
    assert draft.submitted_at == version.submitted_at
    assert version.content["title"] == draft.title
    assert version.content["budget_lines"][0]["amount_yen"] == 500_000
    assert version.content["requested_yen"] == 500_000
    event = ApplicationEvent.objects.get(application=draft, action="status")
    assert (event.from_status, event.to_status, event.actor) == ("draft", "submitted", applicant)
    assert len(mailoutbox) == 1
    assert version.receipt_number in mailoutbox[0].subject
    assert set(mailoutbox[0].to) == {applicant.email, draft.organisation.contact_email}


def test_receipt_numbers_count_up_per_programme_and_year(open_round, applicant, organisation):
    first = ApplicationFactory(funding_round=open_round, organisation=organisation)
    second = ApplicationFactory(funding_round=open_round, organisation=organisation)
    a = submit_application(application=first, by=applicant)
    b = submit_application(application=second, by=applicant)
    assert a.receipt_number.endswith("-2026-000001")
    assert b.receipt_number.endswith("-2026-000002")


def test_double_submit_makes_one_version_one_receipt_one_email(
    draft, applicant, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = submit_application(application=draft, by=applicant)
    with django_capture_on_commit_callbacks(execute=True):
        second = submit_application(application=draft, by=applicant)

    assert second.pk == first.pk
    assert ApplicationVersion.objects.filter(application=draft).count() == 1
    assert ApplicationEvent.objects.filter(application=draft, to_status="submitted").count() == 1
    assert len(mailoutbox) == 1


def test_retry_with_the_same_idempotency_key_returns_the_same_version(draft, applicant):
    first = submit_application(application=draft, by=applicant, idempotency_key="k-1")
    draft.refresh_from_db()
    withdraw_application(application=draft, by=applicant)
    again = submit_application(application=draft, by=applicant, idempotency_key="k-1")
    assert again.pk == first.pk
    draft.refresh_from_db()
    assert draft.status == Application.Status.WITHDRAWN


def test_confirmation_task_is_idempotent(draft, applicant, mailoutbox,
                                         django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        version = submit_application(application=draft, by=applicant)
        send_submission_confirmation(version.pk)  # a task still in the broker
        send_submission_confirmation(version.pk)
    version.refresh_from_db()
    assert len(mailoutbox) == 1
    assert OutboxMessage.objects.filter(key__endswith=f":{version.pk}").count() == 1
    assert version.confirmation_sent_at is not None


class TestClosingTime:
    closes = datetime(2026, 6, 30, 17, 0, 0, tzinfo=JST)

    @pytest.fixture
    def application(self, programme, organisation):
        funding_round = OpenRoundFactory(
            programme=programme, opens_at=self.closes - timedelta(days=30), closes_at=self.closes
        )
        return ApplicationFactory(funding_round=funding_round, organisation=organisation)

    def test_one_second_before_closing_is_accepted(self, application, applicant):
        with time_machine.travel(self.closes - timedelta(seconds=1), tick=False):
            version = submit_application(application=application, by=applicant)
        assert version.submitted_at == datetime(2026, 6, 30, 16, 59, 59, tzinfo=JST)

    @pytest.mark.parametrize("after", [timedelta(0), timedelta(seconds=1)])
    def test_at_or_after_closing_is_refused_and_nothing_changes(self, application, applicant,
                                                                after):
        before = state(application)
        with time_machine.travel(self.closes + after, tick=False), \
                pytest.raises(DomainError) as refused:
            submit_application(application=application, by=applicant)
        assert refused.value.code == "round_closed"
        # One date style (issue 13): 令和 date and time, Japan time named.
        message = str(refused.value)
        assert "17:00 (JST)" in message
        assert "令和8年6月30日" in message or "30 June 2026" in message
        assert state(application) == before

    def test_closing_time_is_judged_in_japan_time(self, application, applicant):
        # 08:00:01 UTC is 17:00:01 JST: closed, whatever the server's zone.
        utc = datetime(2026, 6, 30, 8, 0, 1, tzinfo=ZoneInfo("UTC"))
        with time_machine.travel(utc, tick=False), pytest.raises(DomainError):
            submit_application(application=application, by=applicant)

    def test_a_round_closed_by_staff_refuses(self, application, applicant):
        FundingRound.objects.filter(pk=application.funding_round_id).update(status="closed")
        with pytest.raises(DomainError) as refused:
            submit_application(application=application, by=applicant)
        assert refused.value.code == "round_closed"


def test_broken_rules_refuse_with_every_problem_and_change_nothing(draft, applicant):
    draft.title = ""
    draft.save()
    draft.budget_lines.update(amount_yen=2_000_001)
    before = state(draft)
    with pytest.raises(RulesFailed) as refused:
        submit_application(application=draft, by=applicant)
    assert refused.value.code == "rules_failed"
    assert [(p.field, p.code) for p in refused.value.problems] == [
        ("title", "required"), ("budget_lines", "over_ceiling"),
    ]
    assert all(p.message in str(refused.value) for p in refused.value.problems)
    assert state(draft) == before


def test_withdraw_before_a_decision(draft, applicant):
    submit_application(application=draft, by=applicant)
    withdraw_application(application=draft, by=applicant, reason="事情により")
    draft.refresh_from_db()
    assert draft.status == Application.Status.WITHDRAWN
    assert draft.events.get(to_status="withdrawn").reason == "事情により"


def test_withdraw_after_a_decision_is_refused(draft, applicant, officer):
    submit_application(application=draft, by=applicant)
    screen_application(application=draft, by=officer, eligible=True)
    set_application_status(application=draft, to="under_review", by=officer)
    set_application_status(application=draft, to="awarded", by=officer)
    before = state(draft)
    with pytest.raises(DomainError) as refused:
        withdraw_application(application=draft, by=applicant)
    assert refused.value.code == "bad_transition"
    assert state(draft) == before


def test_screening_ineligible_needs_a_reason(draft, applicant, officer):
    submit_application(application=draft, by=applicant)
    before = state(draft)
    with pytest.raises(DomainError) as refused:
        screen_application(application=draft, by=officer, eligible=False, reason=" ")
    assert (refused.value.code, refused.value.field) == ("reason_required", "reason")
    assert state(draft) == before
    screen_application(application=draft, by=officer, eligible=False, reason="対象外の法人格")
    draft.refresh_from_db()
    assert (draft.status, draft.screening_note) == ("ineligible", "対象外の法人格")


class TestReturnAndResubmit:
    def test_return_needs_a_note(self, draft, applicant, officer):
        submit_application(application=draft, by=applicant)
        before = state(draft)
        with pytest.raises(DomainError) as refused:
            return_application(application=draft, by=officer, note="")
        assert refused.value.code == "note_required"
        assert state(draft) == before

    def test_resubmission_makes_version_two_with_its_own_receipt(self, draft, applicant, officer):
        first = submit_application(application=draft, by=applicant)
        return_application(application=draft, by=officer, note="予算の内訳を修正してください。")
        draft.refresh_from_db()
        assert draft.status == Application.Status.RETURNED
        assert draft.screening_note == "予算の内訳を修正してください。"

        save_draft(application=draft, by=applicant, lock_version=draft.lock_version,
                   content={"title": "改訂版タイトル"})
        second = submit_application(application=draft, by=applicant)

        draft.refresh_from_db()
        assert (second.number, second.receipt_number) == (2, f"{first.receipt_number}-2")
        assert draft.receipt_number == first.receipt_number
        assert draft.status == Application.Status.SUBMITTED
        assert first.content["title"] != second.content["title"] == "改訂版タイトル"

    def test_a_returned_application_may_be_resubmitted_after_closing(self, draft, applicant,
                                                                     officer):
        submit_application(application=draft, by=applicant)
        return_application(application=draft, by=officer, note="添付資料を追加してください。")
        FundingRound.objects.filter(pk=draft.funding_round_id).update(status="closed")
        version = submit_application(application=draft, by=applicant)
        assert version.number == 2

    def test_a_returned_application_cannot_be_resubmitted_once_decided(self, draft, applicant,
                                                                       officer):
        submit_application(application=draft, by=applicant)
        return_application(application=draft, by=officer, note="修正してください。")
        FundingRound.objects.filter(pk=draft.funding_round_id).update(status="decided")
        with pytest.raises(DomainError) as refused:
            submit_application(application=draft, by=applicant)
        assert refused.value.code == "round_closed"
