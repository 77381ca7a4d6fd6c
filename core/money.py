"""Arithmetic and display of integer yen. JPY has no minor unit: never float."""

import re
import unicodedata
from collections.abc import Sequence
from decimal import Decimal

from django.utils.translation import gettext as _


def format_yen(amount_yen: int | None) -> str:
    """¥2,000,000 in English, 2,000,000円 in Japanese."""
    if amount_yen is None:
        return ""
    return _("¥%(amount)s") % {"amount": f"{int(amount_yen):,}"}


def format_man_yen(amount_yen: int | None) -> str:
    """200万円 style (万 = 10,000). Exact: 1,234,567 becomes 123万4,567円."""
    if amount_yen is None:
        return ""
    amount = int(amount_yen)
    sign = "-" if amount < 0 else ""
    amount = abs(amount)
    oku, rest = divmod(amount, 100_000_000)
    man, yen = divmod(rest, 10_000)
    parts = []
    if oku:
        parts.append(f"{oku:,}億")
    if man:
        parts.append(f"{man:,}万")
    if yen or not parts:
        parts.append(f"{yen:,}")
    return f"{sign}{''.join(parts)}円"


def split_yen(total_yen: int, weights: Sequence[int]) -> list[int]:
    """Split whole yen in proportion to integer weights.

    Largest-remainder rule: each part gets the floor of its exact share, and the
    yen left over go one each to the parts with the largest remainders (earlier
    parts win ties). The parts always add up to the total.
    """
    if not isinstance(total_yen, int) or not all(isinstance(w, int) for w in weights):
        raise TypeError("split_yen takes whole yen and integer weights, never float")
    if total_yen < 0:
        raise ValueError("total_yen must not be negative")
    if not weights or any(w < 0 for w in weights) or sum(weights) == 0:
        raise ValueError("weights must be non-negative with a positive sum")
    weight_sum = sum(weights)
    floors = [total_yen * w // weight_sum for w in weights]
    remainders = [total_yen * w % weight_sum for w in weights]
    left = total_yen - sum(floors)
    order = sorted(range(len(weights)), key=lambda i: (-remainders[i], i))
    for i in order[:left]:
        floors[i] += 1
    return floors


def percent_of(amount_yen: int, percent: int) -> int:
    """`percent`% of an amount, rounded down to whole yen."""
    return amount_yen * percent // 100


# Far above any budget; keeps absurd numbers out of PositiveBigIntegerField.
MAX_YEN = 10**15

_UNITS = {"億": 100_000_000, "万": 10_000}
_YEN_MARKS = (",", "¥", "\\", "円", " ", "\u3000", "_")


def parse_yen(text: str) -> int:
    """Whole yen from what people type: 1500000, 1,500,000, ¥1,500,000,
    1500000円, full-width digits and punctuation (１，５００，０００円), and the
    万/億 units (150万, 1億2,000万, 1.5万 = 15,000). Decimals are allowed only
    before a unit and only when the result is whole yen. Raises ValueError
    for anything else (signs, letters, fractions of a yen, an empty string)."""
    normal = unicodedata.normalize("NFKC", str(text)).strip()
    for mark in _YEN_MARKS:
        normal = normal.replace(mark, "")
    match = _YEN_PATTERN.fullmatch(normal)
    if not normal or match is None:
        raise ValueError(f"not an amount of yen: {text!r}")
    total = Decimal(0)
    oku, man, rest = match.group("oku"), match.group("man"), match.group("rest")
    if oku:
        total += Decimal(oku) * _UNITS["億"]
    if man:
        total += Decimal(man) * _UNITS["万"]
    if rest:
        total += Decimal(rest)
    if total != total.to_integral_value():
        raise ValueError(f"not a whole number of yen: {text!r}")
    return int(total)


_YEN_PATTERN = re.compile(
    r"(?:(?P<oku>\d+(?:\.\d+)?)億)?(?:(?P<man>\d+(?:\.\d+)?)万)?(?P<rest>\d+)?"
)
