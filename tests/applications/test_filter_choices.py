"""The staff list's cached round/theme/tier options (applications.
filter_choices): the same options as the live querysets, renewed as soon as
a round, theme or tier changes, and labelled in the request's language."""

import pytest
from django.utils import translation

from applications.filters import ApplicationFilter
from tests.factories import ThemeFactory

pytestmark = pytest.mark.django_db
NAMES = ("funding_round", "theme", "tier")


def _options(form):
    return {name: [(str(v), str(label)) for v, label in form.fields[name].widget.choices]
            for name in NAMES}


def _live(form):
    return {name: [(str(v), str(label)) for v, label in form.fields[name].choices]
            for name in NAMES}


def test_cached_options_equal_the_querysets_and_follow_changes(open_round):
    form = ApplicationFilter({"theme": ""}).form
    assert _options(form) == _live(form)
    assert len(_options(form)["funding_round"]) == 2  # the empty option and the round

    theme = ThemeFactory(funding_round=open_round, number=9, title_ja="新しいテーマ")
    form = ApplicationFilter({}).form
    assert any("新しいテーマ" in label for _v, label in _options(form)["theme"])

    theme.title_ja = "改めたテーマ"
    theme.save()
    labels = [label for _v, label in _options(ApplicationFilter({}).form)["theme"]]
    assert any("改めたテーマ" in label for label in labels)
    assert not any("新しいテーマ" in label for label in labels)

    theme.delete()
    labels = [label for _v, label in _options(ApplicationFilter({}).form)["theme"]]
    assert not any("改めたテーマ" in label for label in labels)


def test_cached_options_per_language(open_round):
    with translation.override("en"):
        english = ApplicationFilter({}).form
        assert _options(english) == _live(english)
    with translation.override("ja"):
        japanese = ApplicationFilter({}).form
        assert _options(japanese) == _live(japanese)


def test_a_chosen_option_stays_selected(client, officer, open_round):
    client.force_login(officer)
    client.get("/applications/manage/")
    html = client.get("/applications/manage/", {"funding_round": open_round.pk}).content.decode()
    assert f'<option value="{open_round.pk}" selected>' in html


def test_the_cached_form_follows_the_query_language_and_options(client, officer, open_round):
    client.force_login(officer)
    url = "/applications/manage/"
    assert '<option value="submitted" selected>' not in client.get(url).content.decode()
    assert '<option value="submitted" selected>' in client.get(
        url, {"status": "submitted"}).content.decode()
    client.cookies["django_language"] = "en"
    english = client.get(url).content.decode()
    assert "Apply filters" in english and ">Status</label>" in english
    ThemeFactory(funding_round=open_round, number=7, title_ja="追加テーマ", title_en="Added theme")
    assert "Added theme" in client.get(url).content.decode()
