"""One date and time style on every page (issue 13): Japan time, said so,
written 2026年12月4日 13:05 (JST) in Japanese and 4 December 2026, 13:05 (JST)
in English; the era (令和) on deadlines; no Y-m-d left in the templates."""

import re
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from applications.services import submit_application
from core.dates import format_date, format_datetime
from tests.factories import ApplicationFactory, OpenRoundFactory, OrganisationFactory

UTC = ZoneInfo("UTC")
JST = ZoneInfo("Asia/Tokyo")
# 2026-12-03 20:05 UTC is already 4 December in Japan.
MOMENT = datetime(2026, 12, 3, 20, 5, 9, tzinfo=UTC)


@pytest.mark.parametrize(("lang", "expected"), [
    ("ja", "2026年12月4日 05:05 (JST)"), ("en", "4 December 2026, 05:05 (JST)")])
def test_datetimes_are_shown_in_japan_time_in_one_style(lang, expected):
    with translation.override(lang):
        assert format_datetime(MOMENT) == expected
        rendered = Template("{% load core_tags %}{{ at|jst_time }}").render(Context({"at": MOMENT}))
    assert rendered == f'<time datetime="2026-12-04T05:05:09+09:00">{expected}</time>'


def test_era_seconds_and_dates():
    with translation.override("ja"):
        assert format_datetime(MOMENT, wareki=True, seconds=True) == "令和8年12月4日 05:05:09 (JST)"
        assert format_date(MOMENT) == "2026年12月4日"  # the Japan-time date
        assert format_date(date(2019, 5, 1), wareki=True) == "令和元年5月1日"
        assert format_date(date(2019, 4, 30), wareki=True) == "平成31年4月30日"
        assert format_date(None) == ""
    with translation.override("en"):
        assert format_date(date(2026, 12, 4), wareki=True) == "4 December 2026"


def test_conversion_ignores_the_active_time_zone():
    """Even under {% timezone "UTC" %} (or another TIME_ZONE) the page says JST and means it."""
    template = Template('{% load core_tags tz %}{% timezone "UTC" %}{{ at|jst_datetime }}{% endtimezone %}')
    with translation.override("ja"):
        assert template.render(Context({"at": MOMENT})) == "2026年12月4日 05:05 (JST)"


@pytest.mark.django_db
def test_pages_show_dates_in_the_house_style(client, applicant, officer, programme):
    now = datetime(2026, 6, 1, 9, 0, tzinfo=JST)
    funding_round = OpenRoundFactory(
        programme=programme, opens_at=now - timedelta(days=1),
        closes_at=datetime(2026, 6, 30, 8, 30, tzinfo=UTC))  # 17:30 JST
    application = ApplicationFactory(
        funding_round=funding_round, organisation=OrganisationFactory(member=applicant))
    with time_machine.travel(datetime(2026, 6, 2, 1, 2, 3, tzinfo=UTC), tick=False):
        submit_application(application=application, by=applicant)  # 10:02:03 JST

    client.force_login(applicant)
    with time_machine.travel(now, tick=False):
        dashboard = client.get(reverse("applications:dashboard")).content.decode()
        detail = client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    assert "令和8年6月30日 17:30 (JST)" in dashboard
    assert "令和8年6月30日 17:30 (JST)" in detail
    assert "2026年6月2日 10:02:03 (JST)" in detail
    for body in (dashboard, detail):
        assert not re.search(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", body)

    client.force_login(officer)
    staff = client.get(reverse("applications:staff_list")).content.decode()
    assert "2026年6月2日 10:02 (JST)" in staff
    outbox = client.get(reverse("core:outbox_list")).content.decode()
    assert "(JST)</time>" in outbox
    assert not re.search(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", staff + outbox)

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(reverse("applications:staff_list"))
    assert "2 June 2026, 10:02 (JST)" in english.content.decode()


TEMPLATES = Path(settings.BASE_DIR) / "templates"
# Allowed: the machine-readable value of a date input.
INPUT_VALUE = re.compile(r"""value="\{\{ [\w.]+\|date:'Y-m-d' \}\}\"""")


def test_no_template_formats_dates_by_hand():
    leftovers = []
    for path in TEMPLATES.rglob("*"):
        if path.suffix not in (".html", ".txt"):
            continue
        text = INPUT_VALUE.sub("", path.read_text(encoding="utf-8"))
        for line_number, line in enumerate(text.splitlines(), 1):
            if "|date" in line or "Y-m-d" in line or "{% now" in line:
                leftovers.append(f"{path.relative_to(TEMPLATES)}:{line_number}")
    assert leftovers == []
