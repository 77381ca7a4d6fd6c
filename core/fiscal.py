"""年度 (fiscal year, 1 April to 31 March) and 和暦 (Japanese era) labels."""

from datetime import date, datetime, time

from django.utils import timezone
from django.utils.translation import gettext as _

# (first day, kanji name); newest first.
ERAS = [
    (date(2019, 5, 1), "令和"),
    (date(1989, 1, 8), "平成"),
    (date(1926, 12, 25), "昭和"),
    (date(1912, 7, 30), "大正"),
    (date(1868, 1, 25), "明治"),
]


def _local_date(day: date) -> date:
    """A date, or the Japan-time date of a datetime (a naive one as it is)."""
    if isinstance(day, datetime):
        return timezone.localtime(day).date() if timezone.is_aware(day) else day.date()
    return day


def fiscal_year(day: date) -> int:
    """年度: FY2026 runs 2026-04-01 to 2027-03-31."""
    day = _local_date(day)
    return day.year if day.month >= 4 else day.year - 1


def current_fiscal_year() -> int:
    """The fiscal year of today in Japan time."""
    return fiscal_year(timezone.localdate())


def fiscal_year_bounds(year: int) -> tuple[date, date]:
    """First and last day of a fiscal year."""
    return date(year, 4, 1), date(year + 1, 3, 31)


def fiscal_year_start_at(year: int) -> datetime:
    """00:00 JST on 1 April of a fiscal year, aware."""
    return timezone.make_aware(datetime.combine(date(year, 4, 1), time.min))


def wareki(day: date) -> tuple[str, int]:
    """Era name and year of a date (or of a datetime, in Japan time):
    2019-04-30 is 平成31, 2019-05-01 is 令和1."""
    day = _local_date(day)
    for start, name in ERAS:
        if day >= start:
            return name, day.year - start.year + 1
    raise ValueError("dates before 明治 are not supported")


def wareki_year_label(day: date) -> str:
    """令和元年 style: the first year of an era is 元年."""
    name, year = wareki(day)
    return f"{name}{'元' if year == 1 else year}年"


def wareki_fiscal_year_label(year: int) -> str:
    """令和5年度 for FY2023. A fiscal year takes the era in force on 1 April,
    except FY2019, which officials call 令和元年度 (the era began in May)."""
    name, era_year = wareki(date(year, 4, 1))
    if year == 2019:
        name, era_year = "令和", 1
    return f"{name}{'元' if era_year == 1 else era_year}年度"


def fiscal_year_label(year: int) -> str:
    """FY2023 in English, 2023年度 in Japanese."""
    return _("FY%(year)s") % {"year": year}
