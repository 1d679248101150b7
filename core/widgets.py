"""Form widgets the project's forms share."""

from __future__ import annotations

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

# A constant attribute, not user input.
_SELECTED = SafeString(" selected")


class CheckboxList(forms.CheckboxSelectMultiple):
    """Checkboxes as a list, and grouped choices as one fieldset (with its legend) per group.

    Django's own markup nests an unlabelled ``<label>`` per group; screen readers
    then announce the group name as a stray label. The template lives in
    ``core/templates`` because the default form renderer reads app templates only.
    """

    template_name = "core/widgets/checkbox_list.html"


class QuickSelect(forms.Select):
    """A ``<select>`` whose options are written in Python rather than one template per option.

    Same markup as Django's ``Select`` (option groups included). The time zone list has
    about 400 options; rendered through the template engine they cost some 40 ms per page,
    written here well under one.
    """

    def render(self, name, value, attrs=None, renderer=None):
        chosen = set(self.format_value(value))
        final_attrs = self.build_attrs(self.attrs, attrs)

        def is_selected(option_value) -> bool:
            # Like Django's Select: a single select marks only the first match (a zone may be
            # listed twice, under "Common" and under its region).
            if str(option_value) not in chosen:
                return False
            if not self.allow_multiple_selected:
                chosen.clear()
            return True

        def options(choices):
            return format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                (
                    (option_value, _SELECTED if is_selected(option_value) else "", label)
                    for option_value, label in choices
                ),
            )

        parts = [
            format_html('<optgroup label="{}">{}</optgroup>', label, options(group))
            if isinstance(group, list | tuple)
            else options([(label, group)])
            for label, group in self.choices
        ]
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            flatatt(final_attrs),
            format_html_join("", "{}", ((part,) for part in parts)),
        )
