"""Overdue reports are flagged where the organisation looks (issue 13.11):
its award list and the report pages say so in words and a ⚠ sign, not by
colour alone; a year not yet started is never overdue."""

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from tests.factories import AwardFactory, ReportFactory

pytestmark = pytest.mark.django_db

# The award fixture's FY2026 interim report is due 2026-10-31 17:00 JST.
AFTER = "2026-11-02 10:00 +09:00"
BEFORE = "2026-10-31 16:59 +09:00"


def test_my_awards_flags_the_overdue_report_in_words(client, applicant, award):
    client.force_login(applicant)
    with time_machine.travel(AFTER, tick=False):
        page = client.get(reverse("reporting:award_mine")).content.decode()
    assert "提出期限を過ぎた報告が1件あります。" in page
    assert page.count("⚠ 期限超過") == 1  # the interim only: FY2027 has not started


def test_my_awards_in_english_and_before_the_deadline(client, applicant, award):
    client.force_login(applicant)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with time_machine.travel(AFTER, tick=False):
        page = client.get(reverse("reporting:award_mine")).content.decode()
    assert "1 report is overdue: its due date has passed." in page
    with time_machine.travel(BEFORE, tick=False):
        page = client.get(reverse("reporting:award_mine")).content.decode()
    assert "overdue" not in page.lower().replace("overdue-note {", "")


def test_the_report_form_and_page_say_the_report_is_overdue(client, applicant, award):
    report = ReportFactory(award=award, kind="interim", by=applicant)
    client.force_login(applicant)
    with time_machine.travel(AFTER, tick=False):
        edit = client.get(reverse("reporting:report_edit", args=[report.pk])).content.decode()
        detail = client.get(reverse("reporting:report_detail", args=[report.pk])).content.decode()
    for page in (edit, detail):
        assert 'id="overdue-note"' in page and "この報告は提出期限を過ぎています。" in page
    with time_machine.travel(BEFORE, tick=False):
        edit = client.get(reverse("reporting:report_edit", args=[report.pk])).content.decode()
    assert 'id="overdue-note"' not in edit


def test_my_awards_queries_do_not_grow(client, applicant, organisation, programme,
                                       django_assert_max_num_queries):
    client.force_login(applicant)
    AwardFactory(application__organisation=organisation,
                 application__funding_round__programme=programme)
    with django_assert_max_num_queries(20) as one:
        client.get(reverse("reporting:award_mine"))
    for _ in range(3):
        AwardFactory(application__organisation=organisation,
                     application__funding_round__programme=programme)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(reverse("reporting:award_mine"))
    assert len(response.context["rows"]) == 4
