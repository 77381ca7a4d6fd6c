"""Pages default to Japanese whatever the browser sends; English by choice."""

from django.conf import settings


def test_pages_are_japanese_even_when_the_browser_prefers_english(client, db):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="ja">' in response.content.decode()


def test_the_language_form_switches_pages_to_english(client, db):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="ja")
    assert '<html lang="en">' in response.content.decode()


def test_the_api_honours_accept_language(client, db):
    response = client.get("/api/v1/rounds/999999/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert response.headers["Content-Language"] == "en"
