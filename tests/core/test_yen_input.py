"""Typed yen: one parser (core.money.parse_yen) and one form field
(core.forms.YenField) for every form where people type an amount."""

import pytest
from django import forms
from django.utils import translation

from core.forms import YenField
from core.money import parse_yen


@pytest.mark.parametrize(("text", "expected"), [
    ("1500000", 1_500_000),
    ("1,500,000", 1_500_000),
    ("¥1,500,000", 1_500_000),
    ("￥１，５００，０００", 1_500_000),
    ("1500000円", 1_500_000),
    ("１５０００００円", 1_500_000),
    ("１００万", 1_000_000),
    ("100万円", 1_000_000),
    ("1.5万", 15_000),
    ("1億", 100_000_000),
    ("1億2,000万", 120_000_000),
    ("１億２０００万５００円", 120_000_500),
    ("3万4,567", 34_567),
    (" 2,000 ", 2_000),
    ("0", 0),
])
def test_parse_yen_accepts_what_people_type(text, expected):
    assert parse_yen(text) == expected


@pytest.mark.parametrize("text", [
    "", " ", "abc", "100万x", "1.5", "-100", "+100", "1.00001万", "万", "億万", "100万1億",
    "1e6", "1,5,0万円x", "１２３４５６７８９０a",
])
def test_parse_yen_refuses_anything_else(text):
    with pytest.raises(ValueError):
        parse_yen(text)


class _Form(forms.Form):
    amount_yen = YenField(label="Amount", required=False)


@pytest.mark.parametrize(("typed", "expected"), [
    ("１００万", 1_000_000), ("1,234円", 1_234), ("", None),
])
def test_yen_field_cleans_typed_amounts(typed, expected):
    form = _Form({"amount_yen": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["amount_yen"] == expected


@pytest.mark.parametrize("language", ["ja", "en"])
def test_yen_field_names_the_problem_in_both_languages(language):
    with translation.override(language):
        form = _Form({"amount_yen": "百万"})
        assert not form.is_valid()
        message = form.errors["amount_yen"][0]
    assert ("150万" in message) and (("円" in message) if language == "ja" else ("yen" in message))


def test_yen_field_refuses_zero_by_default_and_shows_separators():
    form = _Form({"amount_yen": "0"})
    assert not form.is_valid()
    html = str(_Form(initial={"amount_yen": 2_000_000})["amount_yen"])
    assert 'value="2,000,000"' in html and 'inputmode="numeric"' in html and 'type="text"' in html
