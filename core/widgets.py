"""Form widgets that render without the template engine (issue 12).

Django draws a <select> through two templates per option (the option and its
attributes): the staff list's filter form, with its prefectures, rounds,
themes, tiers and sort orders, spent more time in those includes than in
the rest of the page. `PlainSelect` writes the same HTML as Django's
django/forms/widgets/select.html in Python: same markup, same escaping, same
attributes (ids, aria-describedby, selected), so labels and accessibility
are unchanged.
"""

from django import forms
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe


def _attrs(attrs: dict) -> str:
    """As django/forms/widgets/attrs.html: False drops, True is bare."""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            out.append(f" {conditional_escape(name)}")
        else:
            out.append(f' {conditional_escape(name)}="{conditional_escape(str(value))}"')
    return "".join(out)


class PlainSelect(forms.Select):
    """forms.Select, rendered in Python."""

    def _render(self, template_name, context, renderer=None):
        if template_name != forms.Select.template_name:
            return super()._render(template_name, context, renderer)
        widget = context["widget"]
        parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('\n  <optgroup label="{}">', group_name))
            for option in options:
                parts.append(
                    f'\n  <option value="{conditional_escape(str(option["value"]))}"'
                    f'{_attrs(option["attrs"])}>{conditional_escape(option["label"])}</option>\n'
                )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every part escaped above
