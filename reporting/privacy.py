"""Spot obvious personal data in free text: e-mail addresses, phone numbers
and postal addresses. Reports are about activities, not people (DOMAIN.md);
the form warns and submission refuses unless programme staff accept.

Text is NFKC-normalised first, so full-width digits (０３－１２３４) match too.
"""

import re
import unicodedata

from django.utils.translation import gettext_lazy as _

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
# 0 then 9 or 10 more digits, optionally split by hyphens, spaces or brackets:
# 03-1234-5678, 090-1234-5678, 0312345678, 03(1234)5678.
PHONE = re.compile(r"(?<![\d-])0\d{1,4}[-\s(]?\d{1,4}[-\s)]?\d{4}(?![\d-])")
_PREFECTURE = r"(?:北海道|東京都|(?:京都|大阪)府|[^\s\d、。,]{2,3}県)"
# 〒100-0001, or a 7-digit postal code right before a prefecture name.
POSTAL = re.compile(r"〒\s?\d{3}-?\d{4}|\d{3}-\d{4}\s*" + _PREFECTURE)
# A street address: prefecture, municipality, then block numbers.
STREET = re.compile(
    _PREFECTURE + r"[^\s、。,]{0,12}?[市区町村][^\s、。,]{0,16}?\d+(?:丁目|番地?|-)\s?\d+"
)

KINDS = (("email", EMAIL), ("phone", PHONE), ("address", POSTAL), ("address", STREET))
KIND_LABELS = {"email": _("E-mail address"), "phone": _("Phone"), "address": _("Address")}


def find_personal_data(text: str) -> list[tuple[str, str]]:
    """(kind, matched text) pairs found in `text`, in order, without repeats."""
    if not text:
        return []
    normal = unicodedata.normalize("NFKC", str(text))
    found: list[tuple[str, str]] = []
    for kind, pattern in KINDS:
        for match in pattern.finditer(normal):
            value = match.group(0).strip()
            if kind == "phone" and not 10 <= sum(c.isdigit() for c in value) <= 11:
                continue
            if (kind, value) not in found:
                found.append((kind, value))
    return found
