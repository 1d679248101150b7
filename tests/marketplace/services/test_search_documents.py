"""Browse keyword search on PostgreSQL: each expert page's own weighted, indexed document."""

import pytest
from wagtail.models import Locale

from marketplace.models import ExpertPage, ExpertSearchDocument
from marketplace.models.querysets import locale_search_config
from marketplace.services.search_documents import expert_search_documents_refresh
from tests.marketplace.factories import make_category, make_expert

pytestmark = pytest.mark.django_db


def names(response):
    return [expert.title for expert in response.context["experts"]]


@pytest.fixture
def experts(expert_index):
    python = make_category("Python", "python-dev")
    return {
        "ada": make_expert(
            expert_index, name="Ada Lovelace", prices={60: "80"}, skills=["Statistics"], categories=[python]
        ),
        "alan": make_expert(expert_index, name="Alan Turing", prices={60: "90"}, headline="Codebreaker"),
        "python": python,
    }


def _page(profile) -> ExpertPage:
    return ExpertPage.objects.get(profile=profile)


def test_every_new_expert_gets_a_document(experts):
    for key in ("ada", "alan"):
        document = ExpertSearchDocument.objects.get(page=_page(experts[key]))
        assert document.vector  # name, headline, skills, categories


def test_name_headline_skill_and_category_are_searchable_and_every_word_must_match(client, experts):
    assert names(client.get("/experts/?q=lovelace")) == ["Ada Lovelace"]
    assert names(client.get("/experts/?q=codebreakers")) == ["Alan Turing"]  # stemmed: codebreaker(s)
    assert names(client.get("/experts/?q=statistics")) == ["Ada Lovelace"]
    assert names(client.get("/experts/?q=python")) == ["Ada Lovelace"]  # category name
    assert names(client.get("/experts/?q=python+codebreaker")) == []


@pytest.mark.parametrize("query", ["the", "&", "!!", "a | b", "'", "(data", "data:*", "x & !y"])
def test_odd_keywords_never_fail(client, experts, query):
    response = client.get("/experts/", {"q": query})
    assert response.status_code == 200
    assert response.context["result"].query == query.strip()


def test_a_published_edit_is_searchable_at_once(client, experts):
    page = _page(experts["alan"])
    assert names(client.get("/experts/?q=enigma")) == []
    page.bio = "Broke the Enigma cipher."
    page.save_revision().publish()
    assert names(client.get("/experts/?q=enigma")) == ["Alan Turing"]


def test_a_draft_edit_is_not_searchable_until_published(client, experts):
    page = _page(experts["alan"])
    page.bio = "Secret draft about bombes."
    page.save_revision()
    assert names(client.get("/experts/?q=bombes")) == []


def test_renaming_a_category_updates_its_experts_documents(client, experts):
    category = experts["python"]
    category.name = "Snake charming"
    category.save()
    assert names(client.get("/experts/?q=snake")) == ["Ada Lovelace"]
    assert names(client.get("/experts/?q=python")) == []


def test_deleting_a_category_removes_its_name_from_documents(client, experts):
    experts["python"].delete()  # its links to pages go with it
    assert names(client.get("/experts/?q=python")) == []
    assert names(client.get("/experts/?q=lovelace")) == ["Ada Lovelace"]


def test_a_name_match_outranks_a_bio_match(client, expert_index):
    in_bio = make_expert(expert_index, name="Grace Hopper", prices={60: "50"})
    page = _page(in_bio)
    page.bio = "Worked alongside Turing's students."
    page.save_revision().publish()
    make_expert(expert_index, name="Turing Fan", prices={60: "50"})
    assert names(client.get("/experts/?q=turing")) == ["Turing Fan", "Grace Hopper"]


def test_refresh_rebuilds_lost_documents_and_skips_nothing(client, experts):
    ExpertSearchDocument.objects.all().delete()
    assert names(client.get("/experts/?q=lovelace")) == []  # no document, no match
    assert expert_search_documents_refresh() == 2
    assert names(client.get("/experts/?q=lovelace")) == ["Ada Lovelace"]
    assert expert_search_documents_refresh(page_ids=[]) == 0


def test_each_locale_searches_with_its_own_language(db):
    assert locale_search_config(Locale.objects.get(language_code="en").pk) == "english"
    german, _created = Locale.objects.get_or_create(language_code="de")
    assert locale_search_config(german.pk) == "german"


@pytest.mark.parametrize("engine", ["documents", "wagtail"])
def test_both_engines_find_the_same_experts(client, experts, monkeypatch, engine):
    """SQLite (the demo) keeps Wagtail's search; both paths agree on what matches."""
    if engine == "wagtail":
        monkeypatch.setattr("marketplace.selectors.browse.search_documents_supported", lambda: False)
    assert names(client.get("/experts/?q=statistics")) == ["Ada Lovelace"]
    assert names(client.get("/experts/?q=codebreaker&sort=price_asc")) == ["Alan Turing"]
    assert names(client.get("/experts/?q=python")) == ["Ada Lovelace"]


def test_the_refresh_command_rebuilds_every_document(client, experts, capsys):
    from django.core.management import call_command

    ExpertSearchDocument.objects.all().delete()
    call_command("refresh_expert_search")
    assert "Rebuilt 2 search documents." in capsys.readouterr().out
    assert names(client.get("/experts/?q=codebreaker")) == ["Alan Turing"]
