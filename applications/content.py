"""An application's content as plain data.

Two shapes: `editable_content` holds what the applicant edits (ids and
values; the draft service reads and writes it, the rules check it), and
`snapshot` freezes a submission with the labels of the day (Japanese
names, ceilings, the organisation's details) so a version stays readable
after the round or the managed lists change.
"""

import json

from core.corporate_number import normalise_corporate_number
from grants.models import ExpenseCategory

SCALAR_FIELDS = (
    "title",
    "summary",
    "background",
    "target_groups_other",
    "is_nationwide",
    "municipalities",
    "planned_activities",
    "sustainability",
    "is_consortium",
)
REFERENCE_FIELDS = ("theme_id", "tier_id")
LIST_FIELDS = ("target_group_ids", "prefectures", "budget_lines", "indicators", "consortium_members")
CONTENT_FIELDS = SCALAR_FIELDS + REFERENCE_FIELDS + LIST_FIELDS

LINE_KEYS = ("fiscal_year", "expense_category_id", "amount_yen", "description")
INDICATOR_KEYS = ("name", "unit", "fiscal_year", "target")
MEMBER_KEYS = ("name", "legal_form", "corporate_number", "role")


def empty_content() -> dict:
    """What a new draft holds; PUT in the API starts from here."""
    return {
        **dict.fromkeys(SCALAR_FIELDS, ""),
        "is_nationwide": False,
        "is_consortium": False,
        "theme_id": None,
        "tier_id": None,
        **{f: [] for f in LIST_FIELDS},
    }


def editable_content(application) -> dict:
    """The draft as the applicant edits it. Uses prefetched rows when present."""
    return normalise_content(
        {
            **{f: getattr(application, f) for f in SCALAR_FIELDS},
            "theme_id": application.theme_id,
            "tier_id": application.tier_id,
            "target_group_ids": [group.pk for group in application.target_groups.all()],
            "prefectures": list(application.prefectures or []),
            "budget_lines": [
                {key: getattr(line, key) for key in LINE_KEYS}
                for line in application.budget_lines.all()
            ],
            "indicators": [
                {key: getattr(row, key) for key in INDICATOR_KEYS}
                for row in application.indicators.all()
            ],
            "consortium_members": [
                {key: getattr(row, key) for key in MEMBER_KEYS}
                for row in application.consortium_members.all()
            ],
        }
    )


def normalise_content(content: dict) -> dict:
    """Tidy values the same way whatever the source (form, API, database):
    stripped text, sorted unique codes, normalised corporate numbers."""
    result = dict(content)
    for field in SCALAR_FIELDS:
        if field in result and isinstance(result[field], str):
            result[field] = result[field].strip()
    if "target_group_ids" in result:
        result["target_group_ids"] = sorted({int(pk) for pk in result["target_group_ids"] or []})
    if "prefectures" in result:
        result["prefectures"] = sorted({str(code) for code in result["prefectures"] or []})
    if "budget_lines" in result:
        result["budget_lines"] = [
            {**{k: line.get(k) for k in LINE_KEYS}, "description": (line.get("description") or "").strip()}
            for line in result["budget_lines"] or []
        ]
    if "indicators" in result:
        result["indicators"] = [
            {
                **{k: row.get(k) for k in INDICATOR_KEYS},
                "name": (row.get("name") or "").strip(),
                "unit": (row.get("unit") or "").strip(),
            }
            for row in result["indicators"] or []
        ]
    if "consortium_members" in result:
        result["consortium_members"] = [
            {
                "name": (row.get("name") or "").strip(),
                "legal_form": row.get("legal_form") or "",
                "corporate_number": normalise_corporate_number(row.get("corporate_number") or ""),
                "role": (row.get("role") or "").strip(),
            }
            for row in result["consortium_members"] or []
        ]
    return result


def _sorted_rows(rows) -> list[str]:
    return sorted(json.dumps(row, sort_keys=True, ensure_ascii=False) for row in rows)


def same_content(a: dict, b: dict) -> bool:
    """Equal drafts, ignoring the order of budget lines, indicators and members."""
    for field in CONTENT_FIELDS:
        left, right = a.get(field), b.get(field)
        if field in ("budget_lines", "indicators", "consortium_members"):
            if _sorted_rows(left or []) != _sorted_rows(right or []):
                return False
        elif left != right:
            return False
    return True


def totals_by_year(lines) -> dict[int, int]:
    """Sum of amount_yen per fiscal year, years ascending."""
    totals: dict[int, int] = {}
    for line in lines:
        year = line["fiscal_year"]
        totals[year] = totals.get(year, 0) + int(line["amount_yen"] or 0)
    return dict(sorted(totals.items()))


def snapshot(application) -> dict:
    """Freeze the application for a version: content plus the labels of today."""
    content = editable_content(application)
    funding_round = application.funding_round
    organisation = application.organisation
    categories = ExpenseCategory.objects.in_bulk(
        {line["expense_category_id"] for line in content["budget_lines"]}
    )
    theme, tier = application.theme, application.tier
    lines = [
        {
            "fiscal_year": line["fiscal_year"],
            "expense_category": categories[line["expense_category_id"]].code,
            "expense_category_name": categories[line["expense_category_id"]].name_ja,
            "amount_yen": line["amount_yen"],
            "description": line["description"],
        }
        for line in content["budget_lines"]
    ]
    return {
        "schema": 1,
        "funding_round": {
            "id": funding_round.pk,
            "title": funding_round.title_ja,
            "fiscal_year": funding_round.fiscal_year,
            "programme": funding_round.programme.code,
            "programme_name": funding_round.programme.name_ja,
            "ceiling_basis": funding_round.ceiling_basis,
        },
        "organisation": {
            "id": organisation.pk,
            "name": organisation.name,
            "legal_form": organisation.legal_form,
            "corporate_number": organisation.corporate_number,
            "prefecture": organisation.prefecture,
            "municipality": organisation.municipality,
        },
        "theme": {"id": theme.pk, "number": theme.number, "title": theme.title_ja} if theme else None,
        "tier": (
            {"id": tier.pk, "code": tier.code, "name": tier.name_ja, "ceiling_yen": tier.ceiling_yen}
            if tier else None
        ),
        **{f: content[f] for f in SCALAR_FIELDS},
        "target_groups": [
            {"code": group.code, "name": group.name_ja}
            for group in application.target_groups.order_by("sort_order", "code")
        ],
        "prefectures": content["prefectures"],
        "budget_lines": lines,
        "indicators": content["indicators"],
        "consortium_members": content["consortium_members"],
        "attachments": [
            {
                "name": a.original_name,
                "content_type": a.content_type,
                "size_bytes": a.size_bytes,
                "sha256": a.sha256,
            }
            for a in application.attachments.all()
        ],
        "requested_yen": sum(line["amount_yen"] for line in lines),
        "totals_by_year": {str(y): t for y, t in totals_by_year(lines).items()},
    }
