"""Text search that folds full-width and half-width forms (NFKC), so that
"ＮＰＯ" finds "NPO" and "NPO" finds "ＮＰＯ", and "ヒダマリ" finds "ﾋﾀﾞﾏﾘ",
on SQLite and PostgreSQL alike."""

import unicodedata

from django.db.models import Q

# ASCII ! to ~ and the space, mapped to their full-width forms (U+FF01…).
_TO_WIDE = {code: code + 0xFEE0 for code in range(0x21, 0x7F)} | {0x20: 0x3000}


def _half_width_kana_table() -> dict[int, str]:
    """Full-width katakana (and 。「」、・ー) to their half-width forms, voiced
    ones as two characters (ガ → ｶﾞ), as old systems and bank files store kana."""
    table: dict[int, str] = {}
    for code in range(0xFF61, 0xFF9E):
        half = chr(code)
        table[ord(unicodedata.normalize("NFKC", half))] = half
        for mark in ("\uff9e", "\uff9f"):
            voiced = unicodedata.normalize("NFKC", half + mark)
            if len(voiced) == 1:
                table[ord(voiced)] = half + mark
    return table


_TO_HALF_KANA = _half_width_kana_table()


def search_variants(text: str) -> list[str]:
    """The query in NFKC form, and (when it has ASCII) written full-width as
    stored text typed on a Japanese keyboard often is; both cases of the
    full-width letters, which SQLite's LIKE does not fold; and (when it has
    katakana) the half-width katakana form. Empty for blank."""
    normal = unicodedata.normalize("NFKC", text or "").strip()
    if not normal:
        return []
    wide = normal.translate(_TO_WIDE)
    variants = [normal]
    for variant in (wide, wide.upper(), wide.lower(), normal.translate(_TO_HALF_KANA)):
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
