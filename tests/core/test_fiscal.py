"""年度 (fiscal year, April–March, Japan time) and 和暦 (Japanese era) labels."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.template import Context, Template
from django.utils import translation

from core.fiscal import (
    current_fiscal_year,
    fiscal_year,
    fiscal_year_bounds,
    fiscal_year_label,
    fiscal_year_start_at,
    wareki,
    wareki_fiscal_year_label,
    wareki_year_label,
)

JST = ZoneInfo("Asia/Tokyo")


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2027, 3, 31), 2026),
        (date(2027, 4, 1), 2027),
        (date(2027, 1, 1), 2026),
        (date(2026, 12, 31), 2026),
        (date(2023, 4, 1), 2023),
    ],
)
def test_fiscal_year_of_a_date(day, expected):
    assert fiscal_year(day) == expected


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (datetime(2027, 3, 31, 23, 59, 59, tzinfo=JST), 2026),
        (datetime(2027, 4, 1, 0, 0, tzinfo=JST), 2027),
        # 2027-03-31 15:00 UTC is already 1 April 00:00 in Japan.
        (datetime(2027, 3, 31, 15, 0, tzinfo=UTC), 2027),
        (datetime(2027, 3, 31, 14, 59, 59, tzinfo=UTC), 2026),
    ],
)
def test_fiscal_year_of_an_aware_datetime_is_taken_in_japan_time(moment, expected):
    assert fiscal_year(moment) == expected


def test_fiscal_year_of_a_naive_datetime_uses_its_own_date():
    assert fiscal_year(datetime(2027, 3, 31, 23, 59)) == 2026  # noqa: DTZ001
    assert fiscal_year(datetime(2027, 4, 1, 0, 0)) == 2027  # noqa: DTZ001


def test_current_fiscal_year_on_the_last_minute_of_march_in_japan():
    with time_machine.travel(datetime(2027, 3, 31, 23, 59, tzinfo=JST), tick=False):
        assert current_fiscal_year() == 2026


def test_current_fiscal_year_from_midnight_on_1_april_in_japan():
    with time_machine.travel(datetime(2027, 4, 1, 0, 0, tzinfo=JST), tick=False):
        assert current_fiscal_year() == 2027


def test_current_fiscal_year_ignores_the_utc_date():
    # 1 April 00:30 in Japan is still 31 March in UTC.
    with time_machine.travel(datetime(2027, 3, 31, 15, 30, tzinfo=UTC), tick=False):
        assert current_fiscal_year() == 2027


def test_fiscal_year_bounds_and_start():
    assert fiscal_year_bounds(2026) == (date(2026, 4, 1), date(2027, 3, 31))
    start = fiscal_year_start_at(2027)
    assert start == datetime(2027, 4, 1, 0, 0, tzinfo=JST)
    assert start.utcoffset() is not None
    assert fiscal_year(start) == 2027


@pytest.mark.parametrize(
    ("day", "era", "year", "label"),
    [
        (date(2019, 4, 30), "平成", 31, "平成31年"),
        (date(2019, 5, 1), "令和", 1, "令和元年"),
        (date(1989, 1, 7), "昭和", 64, "昭和64年"),
        (date(1989, 1, 8), "平成", 1, "平成元年"),
        (date(2023, 4, 1), "令和", 5, "令和5年"),
        (date(1926, 12, 25), "昭和", 1, "昭和元年"),
        (date(1926, 12, 24), "大正", 15, "大正15年"),
        (date(1912, 7, 30), "大正", 1, "大正元年"),
        (date(1912, 7, 29), "明治", 45, "明治45年"),
    ],
)
def test_wareki_at_era_changes(day, era, year, label):
    assert wareki(day) == (era, year)
    assert wareki_year_label(day) == label


def test_wareki_of_an_aware_datetime_is_taken_in_japan_time():
    # 2019-04-30 15:00 UTC is 2019-05-01 00:00 in Japan: 令和.
    assert wareki(datetime(2019, 4, 30, 15, 0, tzinfo=UTC)) == ("令和", 1)
    assert wareki(datetime(2019, 4, 30, 23, 59, tzinfo=JST)) == ("平成", 31)


def test_wareki_before_meiji_is_refused():
    with pytest.raises(ValueError):
        wareki(date(1868, 1, 24))


@pytest.mark.parametrize(
    ("year", "label"),
    [
        (2023, "令和5年度"),
        (2024, "令和6年度"),
        (2020, "令和2年度"),
        (2019, "令和元年度"),
        (2018, "平成30年度"),
        (1989, "平成元年度"),
        (1988, "昭和63年度"),
    ],
)
def test_wareki_fiscal_year_label(year, label):
    assert wareki_fiscal_year_label(year) == label


def test_fiscal_year_label_in_english():
    with translation.override("en"):
        assert fiscal_year_label(2023) == "FY2023"


def test_fiscal_year_filters():
    template = Template("{{ year|fy }} {{ year|wareki_fy }}")
    with translation.override("en"):
        assert template.render(Context({"year": 2023})) == "FY2023 令和5年度"
    assert Template("[{{ year|fy }}{{ year|wareki_fy }}]").render(Context({"year": None})) == "[]"
