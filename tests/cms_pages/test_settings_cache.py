"""Site settings are read from the shared cache, and a save is visible at once."""

import pytest

from cms_pages.models import SiteSettings

pytestmark = pytest.mark.django_db


def test_settings_are_cached_across_requests_and_a_save_shows_at_once(client, site_tree, django_assert_max_num_queries):
    client.get("/")
    with django_assert_max_num_queries(50) as warm:
        client.get("/")
    settings_queries = [
        q for q in warm.captured_queries if "cms_pages_sitesettings" in q["sql"] or "navigationsettings" in q["sql"]
    ]
    assert settings_queries == []

    site_settings = SiteSettings.objects.get()
    site_settings.footer_text = "Fresh footer text from the editor"
    site_settings.save()
    assert "Fresh footer text from the editor" in client.get("/").content.decode()
