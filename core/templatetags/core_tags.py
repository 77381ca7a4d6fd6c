"""Template helpers: yen, fiscal-year labels, Japan-time dates, prefecture
names and `{% can %}`."""

from django import template
from django.utils.html import format_html

from core import dates, fiscal, money
from core.prefectures import prefecture_name_ja

register = template.Library()


def _options(arg) -> set[str]:
    return {part.strip() for part in (arg or "").split(",") if part.strip()}


@register.filter
def jst_date(value, arg=""):
    """{{ deadline.due_on|jst_date }} → 2026年12月4日 (ja) / 4 December 2026 (en);
    {{ …|jst_date:"wareki" }} → 令和8年12月4日 in Japanese, for what officials
    read in the era calendar. A datetime gives its Japan-time date."""
    return dates.format_date(value, wareki="wareki" in _options(arg))


@register.filter
def jst_datetime(value, arg=""):
    """{{ event.at|jst_datetime }} → 2026年12月4日 13:05 (JST) / 4 December 2026,
    13:05 (JST), as plain text (e-mails). Options, comma-separated: "wareki"
    (令和8年12月4日 …) and "seconds" (13:05:09, for receipts)."""
    options = _options(arg)
    return dates.format_datetime(value, wareki="wareki" in options, seconds="seconds" in options)


@register.filter
def jst_time(value, arg=""):
    """{{ event.at|jst_time }}: jst_datetime inside <time datetime="…">, for pages."""
    if not value:
        return ""
    return format_html('<time datetime="{}">{}</time>', dates.in_jst(value).isoformat(),
                       jst_datetime(value, arg))


@register.filter
def yen(amount_yen):
    """{{ tier.ceiling_yen|yen }} → 2,000,000円 (ja) / ¥2,000,000 (en)."""
    return money.format_yen(amount_yen)


@register.filter
def man_yen(amount_yen):
    """{{ tier.ceiling_yen|man_yen }} → 200万円."""
    return money.format_man_yen(amount_yen)


@register.filter
def fy(year):
    """{{ round.fiscal_year|fy }} → 2023年度 / FY2023."""
    return fiscal.fiscal_year_label(year) if year else ""


@register.filter
def wareki_fy(year):
    """{{ round.fiscal_year|wareki_fy }} → 令和5年度."""
    return fiscal.wareki_fiscal_year_label(year) if year else ""


@register.filter
def prefecture_ja(code):
    return prefecture_name_ja(code) if code else ""


@register.filter
def item(mapping, key):
    """{{ links|item:app.id }}: a dict's value by a key held in a variable."""
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.simple_tag(takes_context=True)
def can(context, perm, obj):
    """{% can "grants.manage_round" round as may_edit %}"""
    user = context.get("user")
    return bool(user and user.has_perm(perm, obj))
