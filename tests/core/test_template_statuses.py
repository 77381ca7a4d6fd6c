"""Templates name statuses through the model enums (issue 11 pt 4).

`{% if application|status_is:"RETURNED" %}` looks the member up on the
object's Status enum, so a renamed or mistyped status breaks the page
loudly; a hand-typed `status == "returned"` would quietly hide a button.
"""

import re
from pathlib import Path

import pytest
from django.template import Context, Template

from applications.models import Application
from awards.models import Award
from reviews.models import Review

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
STRING_COMPARISON = re.compile(r"""\.status\s*(==|!=|in)\s*["'(]""")


def render(source: str, **context) -> str:
    return Template("{% load choice_labels %}" + source).render(Context(context))


def test_no_template_compares_a_status_with_a_typed_string():
    offenders = [
        f"{path.relative_to(TEMPLATES)}:{number}"
        for path in TEMPLATES.rglob("*.html")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if STRING_COMPARISON.search(line)
    ]
    assert offenders == []


def test_status_is_compares_with_the_enum_member():
    returned = Application(status=Application.Status.RETURNED)
    draft = Application(status=Application.Status.DRAFT)
    source = '{% if a|status_is:"RETURNED" %}yes{% else %}no{% endif %}'
    assert render(source, a=returned) == "yes"
    assert render(source, a=draft) == "no"


def test_status_is_takes_several_members():
    source = '{% if a|status_is:"SUBMITTED, ELIGIBLE" %}yes{% else %}no{% endif %}'
    assert render(source, a=Application(status=Application.Status.ELIGIBLE)) == "yes"
    assert render(source, a=Application(status=Application.Status.UNDER_REVIEW)) == "no"


def test_status_is_is_false_for_a_missing_object():
    source = '{% if not review|status_is:"SUBMITTED" %}open{% endif %}'
    assert render(source, review=None) == "open"
    assert render(source, review=Review(status=Review.Status.SUBMITTED)) == ""


def test_a_mistyped_member_fails_loudly():
    with pytest.raises(KeyError):
        render('{% if award|status_is:"ACTVE" %}x{% endif %}', award=Award(status="active"))
