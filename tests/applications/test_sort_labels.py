"""Sort choices say both directions in the reader's language (issue 13.7):
no django-filter "(descending)" half-translation on the Japanese page."""

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

LIST = reverse("applications:staff_list")


def _sort_options(body: str) -> str:
    start = body.index('name="sort"')
    return body[start:body.index("</select>", start)]


def test_japanese_sort_labels_are_japanese_in_both_directions(client, officer):
    client.force_login(officer)
    body = client.get(LIST).content.decode()
    options = _sort_options(body)
    assert "(descending)" not in body and "descending" not in options
    assert '<option value="-submitted_at">提出日時（新しい順）</option>' in options
    assert '<option value="submitted_at">提出日時（古い順）</option>' in options
    assert '<option value="-requested_yen">申請額（多い順）</option>' in options


def test_english_sort_labels_are_english(client, officer):
    client.force_login(officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    options = _sort_options(client.get(LIST).content.decode())
    assert '<option value="-submitted_at">Submitted at (newest first)</option>' in options
    assert '<option value="requested_yen">Requested amount (smallest first)</option>' in options
    assert "提出" not in options
