"""core.widgets.PlainSelect writes exactly Django's <select> HTML."""

import pytest
from django import forms

from applications.filters import ApplicationFilter
from core.prefectures import Prefecture
from core.widgets import PlainSelect

CHOICES = [("", "---------"), ("a&b", '<x> & "y"'), ("13", "東京都"),
           ("Group <g>", [("1", "one"), ("2", "two")])]


@pytest.mark.parametrize("value", ["13", "", None, "2", "a&b", "missing"])
def test_same_html_as_django_select(value):
    attrs = {"id": "id_x", "aria-describedby": "id_x_helptext", "required": True,
             "disabled": False, "class": 'a"b'}
    expected = forms.Select(choices=CHOICES, attrs=attrs).render("x", value)
    assert PlainSelect(choices=CHOICES, attrs=attrs).render("x", value) == expected


def test_prefecture_choices_render_alike():
    expected = forms.Select(choices=Prefecture.choices).render("prefecture", "27")
    assert PlainSelect(choices=Prefecture.choices).render("prefecture", "27") == expected


@pytest.mark.django_db
def test_staff_filter_form_renders_as_with_django_selects():
    """Every select of the staff list's filter form, with a value chosen."""
    form = ApplicationFilter({"status": "submitted", "prefecture": "13", "sort": "-title"}).form
    for name, field in form.fields.items():
        if isinstance(field.widget, PlainSelect):
            plain = str(form[name])
            field.widget.__class__ = forms.Select
            assert str(form[name]) == plain, name
