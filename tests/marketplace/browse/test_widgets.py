"""The browse form's selects render the same markup as Django's, without the template engine."""

import pytest
from django import forms

from marketplace.browse.filters import ExpertBrowseForm
from marketplace.browse.widgets import QuickSelect
from marketplace.selectors.catalogue import browse_choices
from tests.marketplace.factories import make_category

CHOICES = [
    ("", "Any"),
    ("a&b", 'Fish <& "chips">'),
    ("Group <1>", [("g1", "In a group"), ("g2", "Also in it")]),
    (3, "Three"),
]


@pytest.mark.parametrize("value", [None, "", "a&b", "g2", "3", "missing"])
@pytest.mark.parametrize(
    "attrs",
    [None, {"id": "id_pick", "aria-invalid": "true", "aria-describedby": "x_error", "required": True, "hidden": False}],
)
def test_quick_select_renders_exactly_what_django_renders(value, attrs):
    plain = forms.Select(choices=CHOICES).render("pick", value, attrs=attrs)
    quick = QuickSelect(choices=CHOICES).render("pick", value, attrs=attrs)
    assert quick == plain
    assert "&lt;&amp; &quot;chips&quot;&gt;" in quick  # labels are escaped, as in the template


@pytest.mark.django_db
def test_browse_form_fields_render_unchanged_with_errors_and_selection():
    make_category("Data", "data")
    choices = browse_choices()
    data = {"category": "data", "rating": "11", "language": "en", "sort": "price_asc", "q": "x"}
    quick = ExpertBrowseForm(data, choices=choices)
    plain = ExpertBrowseForm(data, choices=choices)
    for field in plain.fields.values():
        if isinstance(field.widget, QuickSelect):
            widget = forms.Select(attrs=field.widget.attrs, choices=field.widget.choices)
            widget.is_required = field.widget.is_required
            field.widget = widget
    assert quick.errors and "rating" in quick.errors
    assert isinstance(quick.fields["category"].widget, QuickSelect)
    for name in plain.fields:
        assert str(quick[name]) == str(plain[name]), name
    assert '<option value="data" selected>Data</option>' in str(quick["category"])
    assert 'aria-invalid="true"' in str(quick["rating"])
