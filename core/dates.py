"""Dates and times as people read them: always in Japan time, one style
everywhere. 2026年12月4日 13:05 (JST) in Japanese, 4 December 2026, 13:05 (JST)
in English; the 令和 label where officials read the era calendar (deadlines).
The template filters jst_date, jst_datetime and jst_time (core_tags) wrap these."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.utils import dateformat, timezone, translation

from core import fiscal

# Explicit, whatever TIME_ZONE or a page's {% timezone %} says.
JST = ZoneInfo("Asia/Tokyo")


def in_jst(value):
    """A datetime in Japan time (a naive one is taken as Japan time); a date as it is."""
    if isinstance(value, datetime):
        if timezone.is_naive(value):
            return value.replace(tzinfo=JST)
        return timezone.localtime(value, JST)
    return value


def _japanese() -> bool:
    return (translation.get_language() or "").startswith("ja")


def format_date(value, *, wareki: bool = False) -> str:
    """2026年12月4日, 令和8年12月4日 (wareki, Japanese only) or 4 December 2026;
    a datetime gives its Japan-time date. Empty for None."""
    if not value:
        return ""
    local = in_jst(value)
    day: date = local.date() if isinstance(local, datetime) else local
    if not _japanese():
        return dateformat.format(day, "j F Y")
    if wareki:
        return f"{fiscal.wareki_year_label(day)}{day.month}月{day.day}日"
    return f"{day.year}年{day.month}月{day.day}日"


def format_datetime(value, *, wareki: bool = False, seconds: bool = False) -> str:
    """2026年12月4日 13:05 (JST) / 4 December 2026, 13:05 (JST); `seconds`
    for receipts. A plain date gives format_date. Empty for None."""
    if not value:
        return ""
    local = in_jst(value)
    if not isinstance(local, datetime):
        return format_date(local, wareki=wareki)
    clock = local.strftime("%H:%M:%S" if seconds else "%H:%M")
    joiner = " " if _japanese() else ", "
    return f"{format_date(local, wareki=wareki)}{joiner}{clock} (JST)"
