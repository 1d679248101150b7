"""Routing below /experts/ after the query savings: the one-query view-restriction
check gives Wagtail's answer, private pages stay private, drafts stay hidden and
translations are still served."""

import pytest
from wagtail.models import Page, PageViewRestriction

from marketplace.models import ExpertPage
from tests.marketplace.factories import make_expert

pytestmark = pytest.mark.django_db


def wagtails_answer(page):
    """Wagtail's own method (the one the mixin replaces), for comparison."""
    return set(Page.get_view_restrictions(page).values_list("pk", flat=True))


def ours(page):
    return set(page.get_view_restrictions().values_list("pk", flat=True))


@pytest.fixture
def ada(expert_index):
    make_expert(expert_index, name="Ada Lovelace", prices={60: "50"})
    return ExpertPage.objects.get(slug="ada-lovelace")


def test_no_restrictions_is_one_query(ada, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert ours(ada) == set()


def test_restrictions_on_the_page_and_its_ancestors_apply(ada, expert_index, home_page):
    on_index = PageViewRestriction.objects.create(page=expert_index, restriction_type="login")
    on_home = PageViewRestriction.objects.create(page=home_page, restriction_type="password", password="x")
    on_page = PageViewRestriction.objects.create(page=ada, restriction_type="login")
    assert ours(ada) == wagtails_answer(ada) == {on_index.pk, on_home.pk, on_page.pk}
    assert ours(expert_index.specific) == wagtails_answer(expert_index) == {on_index.pk, on_home.pk}


def test_a_sibling_restriction_does_not_apply(ada, expert_index):
    make_expert(expert_index, name="Grace Hopper", prices={60: "50"})
    grace = ExpertPage.objects.get(slug="grace-hopper")
    PageViewRestriction.objects.create(page=grace, restriction_type="login")
    assert ours(ada) == wagtails_answer(ada) == set()


def test_an_alias_ancestor_counts_as_its_source_to_the_end_of_the_chain(home_page, expert_index):
    # expert_index -> alias under a second home -> alias of that alias under a third.
    root = Page.get_first_root_node()
    homes = []
    for slug in ("home-two", "home-three"):
        homes.append(root.add_child(instance=Page(title=slug, slug=slug)))
    first_alias = expert_index.create_alias(parent=homes[0], update_slug="experts")
    second_alias = first_alias.specific.create_alias(parent=homes[1], update_slug="experts")
    assert second_alias.alias_of_id == first_alias.pk and first_alias.alias_of_id == expert_index.pk
    on_source = PageViewRestriction.objects.create(page=expert_index, restriction_type="login")
    on_home_three = PageViewRestriction.objects.create(page=homes[1], restriction_type="login")
    assert ours(second_alias.specific) == wagtails_answer(second_alias) == {on_source.pk, on_home_three.pk}
    assert ours(first_alias.specific) == wagtails_answer(first_alias) == {on_source.pk}


def test_a_login_restricted_expert_page_redirects_anonymous_visitors(client, ada, django_user_model):
    PageViewRestriction.objects.create(page=ada, restriction_type="login")
    response = client.get("/experts/ada-lovelace/")
    assert response.status_code == 302
    assert "/experts/ada-lovelace/" in response["Location"]
    assert client.get("/experts/").status_code == 200  # the parent stays public


def test_a_password_on_the_index_protects_browse_and_expert_pages(client, ada, expert_index):
    PageViewRestriction.objects.create(page=expert_index, restriction_type="password", password="secret")
    for url in ("/experts/", "/experts/?q=ada", "/experts/ada-lovelace/"):
        response = client.get(url)
        assert response.status_code == 200
        assert response.context.get("experts") is None
        assert "form" in response.context and "password" in response.context["form"].fields


def test_a_draft_expert_page_and_an_unknown_slug_are_not_found(client, ada):
    ada.unpublish()
    assert client.get("/experts/ada-lovelace/").status_code == 404
    assert client.get("/experts/nobody-here/").status_code == 404
    assert client.get("/experts/ada-lovelace/extra/").status_code == 404


def test_translated_expert_pages_are_served_and_searched_in_their_language(client, ada, expert_index, home_page):
    from wagtail.models import Locale

    german = Locale.objects.create(language_code="de")
    for page in (home_page, expert_index):
        page.specific.copy_for_translation(german).save_revision().publish()
    translated = ada.copy_for_translation(german)
    translated.headline = "Hilfsbereite Expertin"
    translated.save_revision().publish()
    response = client.get("/de/experts/ada-lovelace/")
    assert response.status_code == 200
    assert response.context["page"].pk == translated.pk
    assert client.get("/experts/ada-lovelace/").context["page"].pk == ada.pk
    german_search = client.get("/de/experts/?q=lovelace")
    assert [expert.pk for expert in german_search.context["experts"]] == [translated.pk]
    english_search = client.get("/experts/?q=lovelace")
    assert [expert.pk for expert in english_search.context["experts"]] == [ada.pk]
