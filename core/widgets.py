"""Form widgets the project's forms share."""

from __future__ import annotations

from django import forms


class CheckboxList(forms.CheckboxSelectMultiple):
    """Checkboxes as a list, and grouped choices as one fieldset (with its legend) per group.

    Django's own markup nests an unlabelled ``<label>`` per group; screen readers
    then announce the group name as a stray label. The template lives in
    ``core/templates`` because the default form renderer reads app templates only.
    """

    template_name = "core/widgets/checkbox_list.html"
