"""One bad amount cell never blocks the draft (issue 13.4): what is valid is
saved, the rest stays in the form with its error at the top and at the field;
万/億 and full-width digits are amounts like any other."""

import pytest
from django.urls import reverse

from .helpers import edit_url, form_data

pytestmark = pytest.mark.django_db


def _lines(application):
    return list(application.budget_lines.order_by("fiscal_year", "amount_yen")
                .values_list("fiscal_year", "amount_yen", "description"))


def test_units_and_full_width_digits_are_amounts(client, applicant, draft):
    client.force_login(applicant)
    category = draft.funding_round.expense_categories.get()
    response = client.post(edit_url(draft), form_data(draft, lines=[
        (2026, category.pk, "１００万", "人件費"), (2027, category.pk, "1億2,000万円", "会場費"),
    ]))
    assert response.status_code == 302
    assert _lines(draft) == [(2026, 1_000_000, "人件費"), (2027, 120_000_000, "会場費")]


def test_one_bad_cell_saves_the_rest_and_keeps_it_in_the_form(client, applicant, draft):
    client.force_login(applicant)
    category = draft.funding_round.expense_categories.get()
    data = form_data(draft, title="新しい事業名", summary="地域の居場所づくり", lines=[
        (2026, category.pk, "100万", "人件費"), (2027, category.pk, "百万円", "会場費"),
    ])
    response = client.post(edit_url(draft), data)
    body = response.content.decode()
    assert response.status_code == 400
    draft.refresh_from_db()
    assert (draft.title, draft.summary) == ("新しい事業名", "地域の居場所づくり")
    assert _lines(draft) == [(2026, 1_000_000, "人件費")]
    # Everything typed is still on the page, the bad cell with its error ...
    assert 'value="百万円"' in body and 'value="100万"' in body and 'value="会場費"' in body
    assert 'id="error-summary"' in body and 'href="#id_lines-1-amount_yen"' in body
    assert body.count("150万") >= 2  # the message at the top and at the field
    # ... under the new version, so that saving again after the fix works.
    assert response.context["editor"].form["lock_version"].value() == str(draft.lock_version)
    data["lock_version"] = str(draft.lock_version)
    data["lines-1-amount_yen"] = "１００万"
    assert client.post(edit_url(draft), data).status_code == 302
    assert _lines(draft) == [(2026, 1_000_000, "人件費"), (2027, 1_000_000, "会場費")]


def test_autosave_saves_the_valid_part_and_answers_the_new_version(client, applicant, draft):
    client.force_login(applicant)
    category = draft.funding_round.expense_categories.get()
    response = client.post(reverse("applications:autosave", args=[draft.pk]), form_data(
        draft, title="自動保存", lines=[(2026, category.pk, "1.5", "x")]))
    assert response.status_code == 400
    body = response.json()
    draft.refresh_from_db()
    assert body["saved"] == "partly" and body["lock_version"] == draft.lock_version
    assert "lines-0-amount_yen" in body["errors"] and draft.title == "自動保存"


def test_a_stale_version_saves_nothing_even_partly(client, applicant, draft):
    client.force_login(applicant)
    category = draft.funding_round.expense_categories.get()
    data = form_data(draft, title="古いタブ", lock_version="0",
                     lines=[(2026, category.pk, "abc", "x")])
    response = client.post(edit_url(draft), data)
    assert response.status_code == 400
    draft.refresh_from_db()
    assert draft.title != "古いタブ"
    assert 'value="古いタブ"' in response.content.decode()
