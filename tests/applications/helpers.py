"""Helpers for the application page tests."""

from django.urls import reverse

from applications.models import Application


def edit_url(application) -> str:
    return reverse("applications:edit", args=[application.pk])


def form_data(application: Application, *, lines=None, indicators=(), **fields) -> dict:
    """POST data of the edit page for `application`, as a browser sends it.

    `lines` are (fiscal_year, category_pk, amount_text, description) rows;
    default: one line of 500000 yen in the round's first year.
    """
    funding_round = application.funding_round
    category = funding_round.expense_categories.order_by("sort_order", "code").first()
    if lines is None:
        lines = [(funding_round.fiscal_year, category.pk, "500000", "人件費")]
    data = {
        "lock_version": str(application.lock_version),
        "title": application.title,
        "theme": str(application.theme_id or ""),
        "tier": str(application.tier_id or ""),
        "summary": application.summary,
        "background": application.background,
        "target_groups": [str(g.pk) for g in application.target_groups.all()],
        "target_groups_other": application.target_groups_other,
        "prefectures": list(application.prefectures),
        "municipalities": application.municipalities,
        "planned_activities": application.planned_activities,
        "sustainability": application.sustainability,
        "lines-TOTAL_FORMS": str(len(lines)),
        "lines-INITIAL_FORMS": "0",
        "indicators-TOTAL_FORMS": str(len(indicators)),
        "indicators-INITIAL_FORMS": "0",
    }
    if application.is_nationwide:
        data["is_nationwide"] = "on"
    for i, (year, category_pk, amount, description) in enumerate(lines):
        data.update({
            f"lines-{i}-fiscal_year": str(year),
            f"lines-{i}-expense_category": str(category_pk),
            f"lines-{i}-amount_yen": amount,
            f"lines-{i}-description": description,
        })
    for i, (name, unit, year, target) in enumerate(indicators):
        data.update({
            f"indicators-{i}-name": name, f"indicators-{i}-unit": unit,
            f"indicators-{i}-fiscal_year": str(year), f"indicators-{i}-target": str(target),
        })
    if funding_round.consortium_allowed:
        data.update({"members-TOTAL_FORMS": "0", "members-INITIAL_FORMS": "0"})
    data.update(fields)
    return data
