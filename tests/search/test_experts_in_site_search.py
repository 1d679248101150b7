"""Issue 4: the site-wide search at /search/ finds experts next to pages and posts."""

import pytest

from tests.marketplace.factories import make_expert

pytestmark = pytest.mark.django_db


def test_site_search_finds_an_expert_by_skill_and_by_name(client, expert_index):
    make_expert(expert_index, name="Kira Kubernetes-Fan", headline="Cloud platforms coach", skills=["Terraform"])
    make_expert(expert_index, name="Otto Other", headline="Watercolour painting")

    by_skill = client.get("/search/", {"q": "terraform"}).content.decode()
    assert "Kira Kubernetes-Fan" in by_skill
    assert "Otto Other" not in by_skill
    assert 'href="/experts/kira-kubernetes-fan/"' in by_skill

    by_name = client.get("/search/", {"q": "Otto"}).content.decode()
    assert "Otto Other" in by_name and "Kira" not in by_name


def test_an_unpublished_expert_page_drops_out_of_site_search(client, expert_index):
    profile = make_expert(expert_index, name="Paula Private", headline="Negotiation")
    assert "Paula Private" in client.get("/search/", {"q": "negotiation"}).content.decode()
    profile.pages.get().unpublish()
    assert "Paula Private" not in client.get("/search/", {"q": "negotiation"}).content.decode()
