from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from awards.services import set_report_due_date
from reporting.models import ReminderLog
from reporting.queries import awards_for_list, is_overdue
from reporting.services import save_report_draft, submit_report
from reporting.tasks import send_report_reminders
from tests.factories import ReportFactory

pytestmark = pytest.mark.django_db
JST = ZoneInfo("Asia/Tokyo")

# The award fixture's FY2026 interim report is due 2026-10-31 (17:00 JST).


def at(*args):
    return time_machine.travel(datetime(*args, tzinfo=JST), tick=False)


def _sent():
    return sorted(ReminderLog.objects.values_list("kind", "days_before"))


def test_each_reminder_goes_out_once_per_due_date(award, applicant, officer, mailoutbox,
                                                  django_capture_on_commit_callbacks):
    # The outbox delivers each queued reminder after its transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        with at(2026, 10, 10, 9):
            assert send_report_reminders() == 0
        with at(2026, 10, 17, 9):
            assert send_report_reminders() == 1
            assert send_report_reminders() == 0  # the beat task ran twice
        with at(2026, 10, 20, 9):
            assert send_report_reminders() == 0  # still inside the 14-day window
        with at(2026, 10, 28, 9):
            assert send_report_reminders() == 1
        with at(2026, 10, 31, 9):
            assert send_report_reminders() == 1
        with at(2026, 10, 31, 16, 59, 59):
            assert send_report_reminders() == 0
        with at(2026, 10, 31, 17, 0, 0):
            assert send_report_reminders() == 2
            assert send_report_reminders() == 0
        with at(2026, 11, 5, 9):
            assert send_report_reminders() == 0

    assert _sent() == [("before", 3), ("before", 14), ("due_today", 0), ("overdue_org", 0),
                       ("overdue_staff", 0)]
    assert len(mailoutbox) == 5
    assert mailoutbox[-1].to == [officer.email]
    assert applicant.email in mailoutbox[0].to
    assert award.organisation.contact_email in mailoutbox[0].to


def test_a_moved_due_date_gets_its_own_reminders(award, officer):
    deadline = award.deadlines.get(kind="interim", fiscal_year=2026)
    with at(2026, 10, 31, 17, 30):
        send_report_reminders()
        set_report_due_date(deadline=deadline, due_on=deadline.due_on.replace(day=30).replace(
            month=11), by=officer, reason="延長")
        assert send_report_reminders() == 0
    with at(2026, 11, 30, 17, 0):
        assert send_report_reminders() == 2
    assert ReminderLog.objects.filter(kind="overdue_org").count() == 2


def test_submitted_reports_get_no_reminders(award, applicant):
    report = ReportFactory(award=award, kind="interim", by=applicant)
    save_report_draft(report=report, data={"summary": "実施した。"},
                      lock_version=report.lock_version, by=applicant)
    submit_report(report=report, by=applicant)

    with at(2026, 10, 31, 18):
        assert send_report_reminders() == 0


def test_a_late_award_gets_only_the_nearest_reminder(award):
    with at(2026, 10, 29, 9):
        assert send_report_reminders() == 1
    assert _sent() == [("before", 3)]


@pytest.mark.parametrize(
    ("moment", "overdue"),
    [((2026, 10, 31, 16, 59, 59), False), ((2026, 10, 31, 17, 0, 0), True),
     ((2026, 10, 30, 23, 59, 59), False), ((2026, 11, 1, 0, 0, 0), True)],
)
def test_overdue_from_17_00_jst_of_the_due_date(award, officer, moment, overdue):
    deadline = award.deadlines.get(kind="interim", fiscal_year=2026)
    with at(*moment):
        assert is_overdue(deadline) is overdue
        listed = awards_for_list(officer, overdue=True)
        assert listed.filter(pk=award.pk).exists() is overdue
