"""`{{ obj|choice_label:"status" }}`: obj.get_status_display(), cheaper.

Django's get_FOO_display() rebuilds a hashable dict of the field's choices on
every call, translating every lazy label to hash it: on the staff list's 25
rows that was a quarter of the table's rendering (issue 12). This filter
keeps one {value: label} map per model field and language.
"""

from functools import lru_cache

from django import template
from django.utils.translation import get_language

register = template.Library()


@lru_cache(maxsize=256)
def _labels(model, field_name: str, language: str) -> dict:
    field = model._meta.get_field(field_name)
    return {value: str(label) for value, label in field.flatchoices}


@register.filter
def choice_label(obj, field_name: str) -> str:
    """The display label of a choice field, as get_<field>_display() gives it."""
    value = getattr(obj, field_name)
    return _labels(type(obj), field_name, get_language() or "").get(value, value)


@lru_cache(maxsize=256)
def _members(model, names: str) -> frozenset:
    """The Status members named in "SUBMITTED,ELIGIBLE"; a name the model's
    enum does not have raises KeyError, so a typo fails the page loudly
    instead of quietly hiding a button."""
    return frozenset(model.Status[name.strip()] for name in names.split(","))


@register.filter
def status_is(obj, names: str) -> bool:
    """{% if application|status_is:"RETURNED" %}: the object's status compared
    with its model's Status enum by member name (one or several, comma
    separated), never with a hand-typed stored value. None is no status."""
    if obj is None or obj == "":
        return False
    return obj.status in _members(type(obj), names)
