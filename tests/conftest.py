import pytest
from django.core.cache import cache
from wagtail.models import Page, Site

from cms_pages.models import HomePage

from .factories import ExpertUserFactory, StaffUserFactory, UserFactory


@pytest.fixture(autouse=True)
def _clear_cache():
    # Rate-limit counters live in the cache; every test starts with none.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def learner(db):
    return UserFactory(email="learner@example.com", full_name="Lena Learner")


@pytest.fixture
def expert_user(db):
    return ExpertUserFactory(email="expert@example.com", full_name="Ezra Expert")


@pytest.fixture
def staff_user(db):
    return StaffUserFactory(email="staff@example.com", full_name="Sam Staff")


@pytest.fixture
def home_page(db):
    root = Page.get_first_root_node()
    for stray in root.get_children().exact_type(Page):
        stray.delete()
    home = HomePage(title="TapTime", slug="home", hero_title="Learn from vetted experts")
    root.add_child(instance=home)
    home.save_revision().publish()
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "root_page": home, "site_name": "TapTime"}
    )
    return home
