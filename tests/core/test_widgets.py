from django import forms

from core.timezones import zone_choices
from core.widgets import QuickSelect


class ZoneForm(forms.Form):
    zone = forms.ChoiceField(choices=[], widget=QuickSelect)
    plain = forms.ChoiceField(choices=[], widget=forms.Select)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["zone"].choices = self.fields["plain"].choices = zone_choices() + [
            ("<b>", '"><script>alert(1)</script>')
        ]


def _squash(html: str) -> str:
    return "".join(line.strip() for line in html.splitlines())


def test_the_quick_select_writes_what_djangos_select_writes():
    form = ZoneForm(initial={"zone": "Europe/Berlin", "plain": "Europe/Berlin"})
    quick, plain = str(form["zone"]), str(form["plain"])
    assert _squash(quick) == _squash(plain).replace('name="plain" id="id_plain"', 'name="zone" id="id_zone"')
    assert '<option value="Europe/Berlin" selected>' in quick
    assert "<script>" not in quick and "&lt;b&gt;" in quick
