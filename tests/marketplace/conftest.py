import pytest

from marketplace.models import ExpertIndexPage


@pytest.fixture
def expert_index(home_page):
    index_page = ExpertIndexPage(title="Experts", slug="experts", intro="Find your expert.")
    home_page.add_child(instance=index_page)
    index_page.save_revision().publish()
    return index_page
