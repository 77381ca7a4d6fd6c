"""Differences between two frozen versions, for staff and applicants."""

import difflib

from django.utils.translation import gettext as _

from core.fiscal import fiscal_year_label
from core.money import format_yen
from core.prefectures import prefecture_name_ja
from core.vocab import LegalForm


def _text_fields():
    return [
        ("title", _("Project title")),
        ("theme", _("Theme")),
        ("tier", _("Scale tier")),
        ("summary", _("Summary")),
        ("background", _("Background and need")),
        ("target_groups", _("Target groups")),
        ("activity_area", _("Activity area")),
        ("municipalities", _("Municipalities")),
        ("planned_activities", _("Planned activities")),
        ("sustainability", _("Sustainability after the grant")),
        ("requested_yen", _("Requested amount")),
    ]


def _flat(content: dict) -> dict[str, str]:
    groups = [g["name"] for g in content.get("target_groups", [])]
    if content.get("target_groups_other"):
        groups.append(content["target_groups_other"])
    theme, tier = content.get("theme") or {}, content.get("tier") or {}
    return {
        "title": content.get("title", ""),
        "theme": f'{theme.get("number", "")}. {theme.get("title", "")}' if theme else "",
        "tier": tier.get("name", ""),
        "summary": content.get("summary", ""),
        "background": content.get("background", ""),
        "target_groups": "\n".join(groups),
        "activity_area": _("Nationwide") if content.get("is_nationwide") else "\n".join(
            prefecture_name_ja(c) for c in content.get("prefectures", [])
        ),
        "municipalities": content.get("municipalities", ""),
        "planned_activities": content.get("planned_activities", ""),
        "sustainability": content.get("sustainability", ""),
        "requested_yen": format_yen(content.get("requested_yen", 0)),
    }


def _line(line) -> str:
    text = f'{fiscal_year_label(line["fiscal_year"])} {line["expense_category_name"]}: ' \
           f'{format_yen(line["amount_yen"])}'
    return f'{text} — {line["description"]}' if line.get("description") else text


def _indicator(row) -> str:
    return f'{row["name"]} ({fiscal_year_label(row["fiscal_year"])}): {row["target"]} {row["unit"]}'


def _member(row) -> str:
    form = dict(LegalForm.choices).get(row["legal_form"], row["legal_form"])
    number = f' {row["corporate_number"]}' if row.get("corporate_number") else ""
    return f'{row["name"]} ({form}{number}) {row.get("role", "")}'.strip()


def _row_changes(old: list[str], new: list[str]) -> list[dict]:
    """Rows added, removed and changed (a replaced row is a change)."""
    changes = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        before, after = old[i1:i2], new[j1:j2]
        for k in range(max(len(before), len(after))):
            b = before[k] if k < len(before) else None
            a = after[k] if k < len(after) else None
            kind = "changed" if a and b else ("added" if a else "removed")
            changes.append({"kind": kind, "old": b, "new": a})
    return changes


def version_diff(old: dict, new: dict) -> dict:
    """{fields: [{name, label, diff}], budget_lines, indicators,
    consortium_members, attachments: [{kind, old, new}]}; unchanged parts
    are left out."""
    left, right = _flat(old), _flat(new)
    fields = []
    for name, label in _text_fields():
        if left[name] != right[name]:
            diff = difflib.unified_diff(
                left[name].splitlines(), right[name].splitlines(), lineterm="", n=2,
            )
            fields.append({"name": name, "label": label,
                           "diff": "\n".join(list(diff)[2:]),
                           "old": left[name], "new": right[name]})
    return {
        "fields": fields,
        "budget_lines": _row_changes([_line(x) for x in old.get("budget_lines", [])],
                                     [_line(x) for x in new.get("budget_lines", [])]),
        "indicators": _row_changes([_indicator(x) for x in old.get("indicators", [])],
                                   [_indicator(x) for x in new.get("indicators", [])]),
        "consortium_members": _row_changes(
            [_member(x) for x in old.get("consortium_members", [])],
            [_member(x) for x in new.get("consortium_members", [])],
        ),
        "attachments": _row_changes(
            [f'{a["name"]} ({a["sha256"][:12]})' for a in old.get("attachments", [])],
            [f'{a["name"]} ({a["sha256"][:12]})' for a in new.get("attachments", [])],
        ),
    }
