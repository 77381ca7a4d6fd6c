"""At 390 px the budget table, the applicant dashboard and the screening
list stay usable: stacked rows labelled cell by cell, or a labelled scroll
container around a table that stays a table (the browser journeys measure
the page width; these tests pin the markup the CSS relies on)."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from applications.services import submit_application

from .helpers import edit_url

pytestmark = pytest.mark.django_db
CSS = Path(settings.BASE_DIR) / "static" / "css" / "site.css"


def test_the_stylesheet_has_the_narrow_screen_rules():
    css = CSS.read_text()
    assert "@media (max-width: 40rem)" in css
    assert "content:attr(data-label)" in css
    assert re.search(r"\.table-scroll \{[^}]*overflow-x:auto", css)
    assert re.search(r"\.table-scroll \{[^}]*position:relative", css)


def test_budget_rows_are_stacked_with_a_label_on_every_cell(client, applicant, draft):
    client.force_login(applicant)
    body = client.get(edit_url(draft)).content.decode()
    budget = body.split('id="budget-lines"')[1].split("</table>")[0]
    assert '<table class="stack">' in budget
    assert "<caption>" in budget and '<th scope="col">' in budget  # still a table
    cells = re.findall(r"<td[^>]*>", budget)
    assert cells and all("data-label=" in c for c in cells)


def test_dashboard_rows_are_stacked_and_labelled(client, applicant, draft):
    client.force_login(applicant)
    body = client.get(reverse("applications:dashboard")).content.decode()
    table = body.split('<table class="stack">')[1].split("</table>")[0]
    assert '<th scope="col">' in table
    row = table.split("<tbody>")[1]
    assert all("data-label=" in c for c in re.findall(r"<td[^>]*>", row))


def test_screening_list_scrolls_inside_a_labelled_region(client, officer, draft, applicant):
    submit_application(application=draft, by=applicant)
    client.force_login(officer)
    body = client.get(reverse("applications:staff_list")).content.decode()
    assert '<div class="table-scroll" role="region" aria-labelledby="list-caption" tabindex="0">' \
        in body
    assert '<caption id="list-caption">' in body
