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


@pytest.mark.parametrize("language", ["es", "de"])
def test_our_po_files_have_no_untranslated_or_fuzzy_entries(language):
    # makemessages collects every string of every app (accounts, marketplace,
    # billing, the public site); a new string must arrive with its translations.
    po = polib.pofile(str(Path(settings.LOCALE_PATHS[0]) / language / "LC_MESSAGES" / "django.po"))
    assert len(po) > 400
    assert [entry.msgid for entry in po.untranslated_entries()] == []
    assert [entry.msgid for entry in po.fuzzy_entries()] == []
    assert po.obsolete_entries() == []


def test_the_completeness_check_notices_a_missing_translation(tmp_path):
    """Control: the check above would fail on an entry without a translation."""
    po = polib.POFile()
    po.append(polib.POEntry(msgid="Book a session", msgstr=""))
    po.append(polib.POEntry(msgid="Sessions", msgstr="Sesiones", flags=["fuzzy"]))
    po.save(str(tmp_path / "django.po"))
    reread = polib.pofile(str(tmp_path / "django.po"))
    assert [e.msgid for e in reread.untranslated_entries()] == ["Book a session"]
    assert [e.msgid for e in reread.fuzzy_entries()] == ["Sessions"]


def _translated_site(home_page, codes=("es", "de")):
    from wagtail.models import Locale

    from marketplace.models import ExpertIndexPage

    index = ExpertIndexPage(title="Experts", slug="experts", intro="Find your expert.")
    home_page.add_child(instance=index)
    index.save_revision().publish()
    for code in codes:
        locale, _ = Locale.objects.get_or_create(language_code=code)
        home_page.copy_for_translation(locale).save_revision().publish()
        index.copy_for_translation(locale).save_revision().publish()
    return index


@pytest.mark.django_db
@pytest.mark.parametrize(
    "prefix, expected",
    [
        ("/es", ["Hazte experto", "Saltar al contenido principal", "Iniciar sesión"]),
        ("/de", ["Experte werden", "Zum Hauptinhalt springen", "Anmelden"]),
    ],
)
def test_the_home_page_renders_in_spanish_and_german(client, compiled_translations, home_page, prefix, expected):
    _translated_site(home_page)
    body = client.get(f"{prefix}/").content.decode()
    for text in expected:
        assert text in body
    assert "Become an expert" not in body


@pytest.mark.django_db
@pytest.mark.parametrize(
    "prefix, expected",
    [
        ("/es", ["Mostrar expertos", "Ordenar por", "Valoración mínima", "Cualquier idioma"]),
        ("/de", ["Experten anzeigen", "Sortieren nach", "Mindestbewertung", "Jede Sprache"]),
    ],
)
def test_the_expert_browse_page_renders_in_spanish_and_german(
    client, compiled_translations, home_page, prefix, expected
):
    _translated_site(home_page)
    response = client.get(f"{prefix}/experts/")
    assert response.status_code == 200
    body = response.content.decode()
    for text in expected:
        assert text in body
    assert "Show experts" not in body and "Sort by" not in body


@pytest.mark.django_db
@pytest.mark.parametrize(
    "language, expected",
    [
        ("es", ["Saltar al contenido principal", "Contraseña", "Registrarse"]),
        ("de", ["Zum Hauptinhalt springen", "Passwort", "Registrieren"]),
    ],
)
def test_the_login_page_follows_the_browser_language(client, compiled_translations, home_page, language, expected):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    body = response.content.decode()
    assert f'<html lang="{language}">' in body
    for text in expected:
        assert text in body
    assert "Skip to main content" not in body


@pytest.mark.django_db
def test_a_signed_in_user_gets_account_pages_in_their_preferred_language(client, compiled_translations, learner):
    learner.preferred_language = "de"
    learner.save(update_fields=["preferred_language"])
    client.force_login(learner)
    response = client.get("/accounts/settings/", HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 200
    assert '<html lang="de">' in response.content.decode()
    assert response["Content-Language"] == "de"
    assert "Accept-Language" in response["Vary"]


@pytest.mark.django_db
def test_the_public_site_keeps_its_language_in_the_url_not_the_browser(client, compiled_translations, home_page):
    # Control for the account rule: an unprefixed public page stays English.
    body = client.get("/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert '<html lang="en">' in body and "Skip to main content" in body
    # An unsupported browser language falls back to English on account pages too.
    login = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert '<html lang="en">' in login
