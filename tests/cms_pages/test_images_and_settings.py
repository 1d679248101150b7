"""Alt text is required unless decorative; settings and navigation drive the header and footer."""

import pytest
from django.db import IntegrityError
from wagtail.images import get_image_model
from wagtail.images.forms import get_image_form

from cms_pages.models import CustomImage, NavigationSettings, SiteSettings
from tests.factories import make_image


def test_the_project_uses_the_custom_image_model():
    assert get_image_model() is CustomImage


@pytest.mark.django_db
def test_the_admin_form_requires_alt_text_unless_decorative():
    form_class = get_image_form(CustomImage)
    base = {"title": "Team photo", "tags": "", "collection": ""}
    from wagtail.models import Collection

    base["collection"] = Collection.get_first_root_node().pk
    missing = form_class(data={**base, "description": ""}, instance=make_image("x"))
    assert not missing.is_valid()
    assert "Describe the image" in str(missing.errors["description"])
    decorative = form_class(data={**base, "description": "", "is_decorative": "on"}, instance=make_image("y"))
    assert decorative.is_valid(), decorative.errors
    described = form_class(data={**base, "description": "Three people at a table"}, instance=make_image("z"))
    assert described.is_valid(), described.errors


@pytest.mark.django_db
def test_the_database_refuses_an_image_without_alt_text_or_decorative_flag():
    image = make_image("q")
    image.description = ""
    with pytest.raises(IntegrityError):
        image.save()


@pytest.mark.django_db
def test_decorative_images_get_empty_alt_text():
    image = make_image("d")
    image.is_decorative = True
    assert image.default_alt_text == ""
    image.is_decorative = False
    assert image.default_alt_text == "A calm abstract picture"


@pytest.mark.django_db
def test_navigation_from_settings_follows_the_visitor_language(client, site_tree):
    from wagtail.models import Locale

    site = site_tree["home"].get_site()
    nav = NavigationSettings.for_site(site)
    nav.main_menu = [
        {"type": "link", "value": {"label": "", "page": site_tree["about"].pk, "url": ""}},
        {"type": "link", "value": {"label": "Blog", "page": None, "url": "/blog/"}},
    ]
    nav.footer_menu = [{"type": "link", "value": {"label": "Questions", "page": site_tree["faq"].pk, "url": ""}}]
    nav.save()
    body = client.get("/").content.decode()
    assert '<a href="/about/">About TapTime</a>' in body
    assert '<a href="/blog/">Blog</a>' in body and '<a href="/faq/">Questions</a>' in body

    es = Locale.objects.create(language_code="es")
    site_tree["home"].copy_for_translation(es).save_revision().publish()
    about_es = site_tree["about"].copy_for_translation(es)
    about_es.title, about_es.slug = "Sobre nosotros", "sobre"
    about_es.save_revision().publish()
    spanish = client.get("/es/").content.decode()
    assert '<a href="/es/sobre/">Sobre nosotros</a>' in spanish
    # No Spanish blog: the English one, never a prefixed path that does not exist.
    assert '<a href="/blog/">Blog</a>' in spanish


@pytest.mark.django_db
def test_spanish_and_german_menus_speak_the_language_and_never_lead_to_a_404(client, site_tree, expert_index):
    from bs4 import BeautifulSoup
    from wagtail.models import Locale

    from cms_pages.models import StandardPage

    home, about, faq = site_tree["home"], site_tree["about"], site_tree["faq"]  # "FAQ" is an interface phrase
    partners = home.add_child(instance=StandardPage(title="Partner programme", slug="partners"))
    partners.save_revision().publish()
    nav = NavigationSettings.for_site(home.get_site())
    nav.main_menu = [
        {"type": "link", "value": {"label": "Browse experts", "page": None, "url": "/experts/"}},
        {"type": "link", "value": {"label": "Blog", "page": None, "url": "/blog/"}},
        {"type": "link", "value": {"label": "About", "page": about.pk, "url": ""}},
        {"type": "link", "value": {"label": "", "page": faq.pk, "url": ""}},
        {"type": "link", "value": {"label": "", "page": partners.pk, "url": ""}},
        {"type": "link", "value": {"label": "Press kit", "page": None, "url": "/press/"}},
    ]
    nav.save()
    for code, home_title in (("es", "Inicio"), ("de", "Startseite")):
        locale = Locale.objects.create(language_code=code)
        translated_home = home.copy_for_translation(locale)
        translated_home.title = home_title
        translated_home.save_revision().publish()
        translated_about = about.copy_for_translation(locale)
        translated_about.slug = f"about-{code}"
        translated_about.save_revision().publish()

    def menu(path):
        page = BeautifulSoup(client.get(path).content, "html.parser")
        return [(a.get_text(), a["href"]) for a in page.select("#site-nav-list a")]

    assert menu("/es/") == [
        ("Ver expertos", "/experts/"),
        ("Blog", "/blog/"),
        ("Sobre nosotros", "/es/about-es/"),
        ("Preguntas frecuentes", "/faq/"),  # no translation: the English page, its title through the catalogue
        ("Partner programme", "/partners/"),  # an editor's own title with no translation stays as written
        ("Press kit", "/press/"),  # and so does any other typed label
    ]
    assert [label for label, _href in menu("/de/")][:3] == ["Experten ansehen", "Blog", "Über uns"]
    for _label, href in menu("/es/")[:5] + menu("/de/")[:5]:
        assert client.get(href).status_code != 404, href
    assert menu("/")[:3] == [("Browse experts", "/experts/"), ("Blog", "/blog/"), ("About", "/about/")]


@pytest.mark.django_db
def test_footer_shows_site_settings(client, site_tree):
    settings = SiteSettings.for_site(site_tree["home"].get_site())
    settings.footer_text = "Learn anything, from anyone."
    settings.contact_email = "help@taptime.example"
    settings.linkedin_url = "https://www.linkedin.com/company/taptime"
    settings.save()
    body = client.get("/").content.decode()
    assert "Learn anything, from anyone." in body
    assert 'href="mailto:help@taptime.example"' in body
    assert 'href="https://www.linkedin.com/company/taptime"' in body


@pytest.mark.django_db
def test_analytics_are_off_by_default_and_only_loaded_through_the_consent_script(client, site_tree):
    body = client.get("/").content.decode()
    assert "data-consent" not in body and "consent.js" not in body
    settings = SiteSettings.for_site(site_tree["home"].get_site())
    settings.analytics_enabled = True
    settings.analytics_script_url = "https://plausible.io/js/script.js"
    settings.save()
    body = client.get("/").content.decode()
    assert 'data-analytics-src="https://plausible.io/js/script.js"' in body
    assert "consent.js" in body
    # The banner starts hidden (the site works without JS) and no analytics <script src> is on the page.
    assert 'aria-label="Cookie consent" hidden' in body
    assert '<script src="https://plausible.io' not in body


@pytest.mark.django_db
def test_analytics_on_without_a_script_still_ask_before_our_own_funnel_counts(client, site_tree):
    settings = SiteSettings.for_site(site_tree["home"].get_site())
    settings.analytics_enabled = True
    settings.analytics_script_url = ""
    settings.save()
    body = client.get("/").content.decode()
    assert 'aria-label="Cookie consent" hidden' in body and "consent.js" in body
    assert 'data-analytics-src=""' in body  # consent.js loads no script, it only records the choice


@pytest.mark.django_db
def test_menus_cost_no_query_once_warm_and_follow_a_publish_at_once(client, site_tree, django_assert_max_num_queries):
    site = site_tree["home"].get_site()
    nav = NavigationSettings.for_site(site)
    nav.main_menu = [{"type": "link", "value": {"label": "", "page": site_tree["about"].pk, "url": ""}}]
    nav.footer_menu = [{"type": "link", "value": {"label": "Questions", "page": site_tree["faq"].pk, "url": ""}}]
    nav.save()
    client.get("/faq/")
    with django_assert_max_num_queries(50) as warm:
        client.get("/faq/")
    # Without the shared cache each menu would load its chosen pages here.
    menu_page_queries = [q for q in warm.captured_queries if '"wagtailcore_page"."translation_key" IN' in q["sql"]]
    assert menu_page_queries == []

    about = site_tree["about"]
    about.title = "About the TapTime team"
    about.save_revision().publish()
    assert '<a href="/about/">About the TapTime team</a>' in client.get("/faq/").content.decode()
    about.unpublish()
    assert "About the TapTime team" not in client.get("/faq/").content.decode()
