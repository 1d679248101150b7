"""Interface translations: compiled from .po with polib, served under /es/ and /de/."""

from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils.translation import trans_real


@pytest.fixture(scope="module")
def compiled_translations():
    call_command("compile_translations", verbosity=0)
    # Django caches catalogs per process; forget any loaded before the .mo files existed.
    trans_real._translations = {}
    trans_real._default = None
    yield


def test_every_po_file_compiles_to_a_mo_file(compiled_translations):
    po_files = sorted(Path(settings.LOCALE_PATHS[0]).glob("*/LC_MESSAGES/django.po"))
    assert {p.parts[-3] for p in po_files} == {"es", "de"}
    for po_path in po_files:
        mo = polib.mofile(str(po_path.with_suffix(".mo")))
        assert mo.find("Skip to main content").msgstr


@pytest.mark.django_db
@pytest.mark.parametrize(
    "prefix, skip_link, search_label",
    [
        ("", "Skip to main content", "What do you want to learn?"),
        ("/es", "Saltar al contenido principal", "¿Qué quieres aprender?"),
        ("/de", "Zum Hauptinhalt springen", "Was möchtest du lernen?"),
    ],
)
def test_the_interface_switches_language_with_the_url_prefix(
    client, compiled_translations, home_page, prefix, skip_link, search_label
):
    body = client.get(f"{prefix}/search/").content.decode()
    assert skip_link in body and search_label in body
    assert f'<html lang="{prefix.strip("/") or "en"}">' in body
