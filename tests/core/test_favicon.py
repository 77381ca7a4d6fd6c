"""A favicon (issue 13.11): linked from every page and answered at
/favicon.ico, which browsers ask for anyway (it was a 404, or a redirect to
the login page)."""

from pathlib import Path

from django.contrib.staticfiles import finders
from django.templatetags.static import static


def test_favicon_ico_leads_to_the_static_icon_without_signing_in(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == static("img/favicon.ico")
    icon = Path(finders.find("img/favicon.ico")).read_bytes()
    assert icon[:4] == b"\x00\x00\x01\x00"  # an ICO file


def test_pages_link_the_icon(client, db):
    page = client.get("/").content.decode()
    assert f'<link rel="icon" href="{static("img/favicon.ico")}"' in page
    assert f'href="{static("img/favicon.svg")}" type="image/svg+xml"' in page
    assert finders.find("img/favicon.svg")
