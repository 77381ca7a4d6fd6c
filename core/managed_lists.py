"""Managed lists (expense categories, target groups, feature tags) are
named by their stable `code` everywhere: the API reads and writes codes and
filters take them. Database ids are still accepted for compatibility."""

import django_filters
from django import forms
from django.core.exceptions import ValidationError


def lookup_code_or_id(queryset, value):
    """The item whose code is `value`, else (for a number) whose id is it.

    NOTE: the code wins, so a numeric code can never be shadowed by an id.
    Raises `queryset.model.DoesNotExist` when neither matches."""
    text = str(value).strip()
    try:
        return queryset.get(code=text)
    except queryset.model.DoesNotExist:
        if not text.isdigit():
            raise
        return queryset.get(pk=int(text))


class CodeOrIdChoiceField(forms.ModelChoiceField):
    """A choice of a managed-list item by code (or, for old clients, id)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("to_field_name", "code")
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return lookup_code_or_id(self.queryset, value)
        except (self.queryset.model.DoesNotExist, ValueError, TypeError):
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice",
                params={"value": value},
            ) from None


class CodeOrIdFilter(django_filters.ModelChoiceFilter):
    """django-filter filter over a managed list, by code or id."""

    field_class = CodeOrIdChoiceField
