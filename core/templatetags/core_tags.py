"""Template helpers: yen, fiscal-year labels, prefecture names and `{% can %}`."""

from django import template

from core import fiscal, money
from core.prefectures import prefecture_name_ja

register = template.Library()


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
