"""Text search that folds full-width and half-width forms (NFKC), so that
"ＮＰＯ" finds "NPO" and "NPO" finds "ＮＰＯ" on SQLite and PostgreSQL alike."""

import unicodedata

from django.db.models import Q

# ASCII ! to ~ and the space, mapped to their full-width forms (U+FF01…).
_TO_WIDE = {code: code + 0xFEE0 for code in range(0x21, 0x7F)} | {0x20: 0x3000}


def search_variants(text: str) -> list[str]:
    """The query in NFKC form, and (when it has ASCII) written full-width as
    stored text typed on a Japanese keyboard often is; both cases of the
    full-width letters, which SQLite's LIKE does not fold. Empty for blank."""
    normal = unicodedata.normalize("NFKC", text or "").strip()
    if not normal:
        return []
    wide = normal.translate(_TO_WIDE)
    variants = [normal]
    for variant in (wide, wide.upper(), wide.lower()):
        if variant not in variants:
            variants.append(variant)
    return variants


def folded_contains(fields, text: str) -> Q:
    """Any of `fields` contains the text in any folded form (icontains)."""
    condition = Q()
    for variant in search_variants(text):
        for field in fields:
            condition |= Q(**{f"{field}__icontains": variant})
    return condition
