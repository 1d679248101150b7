import re
from datetime import timedelta

import pytest
from django.utils import timezone

from marketplace.models import ExpertPage, ExpertProfile
from marketplace.selectors.catalogue import catalogue_changed
from tests.marketplace.factories import make_category, make_expert

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(expert_index):
    data = make_category("Data", "data", sort_order=1)
    python = make_category("Python", "python-dev", parent=data)
    design = make_category("Design", "design", sort_order=2)
    experts = {
        "ada": make_expert(
            expert_index,
            name="Ada Lovelace",
            prices={60: "80"},
            rating="4.9",
            rating_count=40,
            sessions=120,
            categories=[python],
            languages=("en", "fr"),
            skills=["Python", "Statistics"],
            photo=True,
        ),
        "grace": make_expert(
            expert_index,
            name="Grace Hopper",
            currency="EUR",
            prices={30: "30", 60: "55"},
            rating="4.2",
            rating_count=10,
            sessions=300,
            categories=[data],
            languages=("en", "es"),
            skills=["COBOL"],
        ),
        "alan": make_expert(
            expert_index,
            name="Alan Turing",
            currency="GBP",
            prices={60: "150"},
            rating="4.6",
            rating_count=5,
            sessions=20,
            categories=[python],
            languages=("en", "de"),
            skills=["Cryptography"],
        ),
        "dieter": make_expert(
            expert_index,
            name="Dieter Rams",
            prices={90: "200"},
            categories=[design],
            languages=("de",),
            skills=["Industrial design"],
        ),
    }
    make_expert(expert_index, name="Paused Person", prices={60: "10"}, status=ExpertProfile.Status.PAUSED)
    return experts


def names(response):
    return [expert.title for expert in response.context["experts"]]


def test_browse_lists_active_experts_best_first(client, catalogue):
    response = client.get("/experts/")
    assert response.status_code == 200
    assert names(response) == ["Ada Lovelace", "Alan Turing", "Grace Hopper", "Dieter Rams"]
    body = response.content.decode()
    assert "Paused Person" not in body
    assert 'width="160"' in body and 'height="160"' in body
    first_photo = re.search(r"<img[^>]*expert-card__photo[^>]*>", body).group(0)
    assert 'loading="lazy"' not in first_photo  # the first row is above the fold
    assert "from $80.00" in body and "from €30.00" in body and "from £150.00" in body


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("sort=rating", ["Ada Lovelace", "Alan Turing", "Grace Hopper", "Dieter Rams"]),
        # Reference amounts: €30 → $32.40, $80, £150 → $190.50, $200 (90 min).
        ("sort=price_asc", ["Grace Hopper", "Ada Lovelace", "Alan Turing", "Dieter Rams"]),
        ("sort=price_desc", ["Dieter Rams", "Alan Turing", "Ada Lovelace", "Grace Hopper"]),
        ("sort=sessions", ["Grace Hopper", "Ada Lovelace", "Alan Turing", "Dieter Rams"]),
        ("category=data", ["Ada Lovelace", "Alan Turing", "Grace Hopper"]),  # includes subcategories
        ("category=python-dev", ["Ada Lovelace", "Alan Turing"]),
        ("language=de", ["Alan Turing", "Dieter Rams"]),
        ("rating=4.5", ["Ada Lovelace", "Alan Turing"]),
        ("price_min=50&price_max=100", ["Ada Lovelace"]),
        ("price_max=40&sort=price_asc", ["Grace Hopper"]),
        ("category=data&language=es&rating=4", ["Grace Hopper"]),
    ],
)
def test_filters_and_sorts_return_the_right_experts(client, catalogue, query, expected):
    response = client.get(f"/experts/?{query}")
    assert response.status_code == 200
    assert names(response) == expected
    assert response.context["result"].notices == []
    assert '<meta name="robots" content="noindex, follow">' in response.content.decode()


def test_category_page_lists_its_experts_and_subcategories(client, catalogue):
    response = client.get("/experts/data/")
    assert names(response) == ["Ada Lovelace", "Alan Turing", "Grace Hopper"]
    body = response.content.decode()
    assert 'href="/experts/python-dev/"' in body
    assert '<h1 class="page-title">Data experts</h1>' in body
    assert 'name="robots"' not in body
    # Filters still apply inside a category.
    assert names(client.get("/experts/data/?language=es")) == ["Grace Hopper"]


def test_search_finds_experts_by_skill_name_and_category(client, catalogue):
    assert names(client.get("/experts/?q=cryptography")) == ["Alan Turing"]
    assert names(client.get("/experts/?q=statistics")) == ["Ada Lovelace"]
    assert names(client.get("/experts/?q=hopper")) == ["Grace Hopper"]
    assert set(names(client.get("/experts/?q=python"))) == {"Ada Lovelace", "Alan Turing"}
    assert names(client.get("/experts/?q=python&language=de")) == ["Alan Turing"]
    assert names(client.get("/experts/?q=python&sort=price_desc")) == ["Alan Turing", "Ada Lovelace"]


def test_no_results_suggest_what_to_try(client, catalogue):
    response = client.get("/experts/?q=underwater+basket+weaving")
    body = response.content.decode()
    assert response.status_code == 200 and names(response) == []
    assert "No experts match all of that" in body and 'href="/experts/"' in body


def test_empty_category_says_so(client, catalogue):
    make_category("Music", "music")
    body = client.get("/experts/music/").content.decode()
    assert "No experts here yet" in body


@pytest.mark.parametrize(
    "query",
    [
        "price_min=abc",
        "price_min=-5",
        "price_max=-1",
        "price_min=1e400",
        "category=no-such-category",
        "language=klingon",
        "rating=11",
        "sort=chaos",
        "page=99999",
        "page=abc",
        "page=-3",
        "page=0",
        "q=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "q=" + "x" * 500,
        "q=%00%27%22",
        "price_min=100&price_max=10",
    ],
)
def test_malformed_filters_never_fail(client, catalogue, query):
    response = client.get(f"/experts/?{query}")
    assert response.status_code == 200
    body = response.content.decode()
    assert "<script>alert(1)</script>" not in body
    assert response.context["result"].notices or query.startswith(("q=", "price_min=100"))


def test_malformed_values_are_explained_and_the_rest_still_applies(client, catalogue):
    response = client.get("/experts/?price_min=abc&language=de&page=abc")
    assert names(response) == ["Alan Turing", "Dieter Rams"]
    body = response.content.decode()
    assert "Some of your filters could not be used" in body
    assert "“abc” is not a page number" in body


def test_swapped_price_range_is_fixed_and_explained(client, catalogue):
    response = client.get("/experts/?price_min=100&price_max=50")
    assert names(response) == ["Ada Lovelace"]
    assert "we swapped them" in response.content.decode()


def test_pagination_keeps_the_query_string(client, expert_index):
    for number in range(14):
        make_expert(expert_index, name=f"Expert {number:02d}", prices={60: str(50 + number)})
    first = client.get("/experts/?sort=price_asc")
    assert len(first.context["experts"]) == 12
    assert 'href="?sort=price_asc&amp;page=2"' in first.content.decode()
    second = client.get("/experts/?sort=price_asc&page=2")
    assert names(second) == ["Expert 12", "Expert 13"]
    clamped = client.get("/experts/?sort=price_asc&page=99999")
    assert names(clamped) == ["Expert 12", "Expert 13"]
    assert "There is no page 99999" in clamped.content.decode()


def _count_queries(client, url, django_assert_max_num_queries, limit=10):
    client.get(url)  # warm Wagtail's site cache and create renditions
    with django_assert_max_num_queries(limit) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_browse_query_count_does_not_grow_with_data_or_page_size(
    client, expert_index, django_assert_max_num_queries, monkeypatch
):
    url = "/experts/?category=data&language=en&sort=rating&price_min=1"
    data = make_category("Data", "data")

    def add_experts(prefix, count):
        for number in range(count):
            make_expert(
                expert_index,
                name=f"{prefix} {number}",
                prices={60: "50"},
                categories=[data],
                photo=True,
                languages=("en", "de", "fr")[: 1 + number % 3],
                rating="4.5",
                rating_count=2,
                skills=["Statistics"],
            )

    add_experts("First", 3)
    short_page = _count_queries(client, url, django_assert_max_num_queries)
    add_experts("More", 12)
    full_page = _count_queries(client, url, django_assert_max_num_queries)
    catalogue_changed()  # as any change to an expert does: the next request counts again
    with django_assert_max_num_queries(10) as cold:
        client.get(url)
    assert len(cold.captured_queries) == full_page + 1  # later requests take the count from the cache
    assert full_page == short_page  # a short first page is its own total
    add_experts("Even more", 30)
    more_data = _count_queries(client, url, django_assert_max_num_queries)
    monkeypatch.setattr("marketplace.selectors.browse.PER_PAGE", 40)
    bigger_page = _count_queries(client, url, django_assert_max_num_queries)
    # Routing 6 (site, locale, home page, index page as Page and specific, view
    # restrictions), ours 2 (rows, photo renditions; the capped count is cached),
    # and the hreflang alternates of the site chrome 1.
    assert full_page == more_data == bigger_page == 9
    monkeypatch.setattr("marketplace.selectors.browse.PER_PAGE", 12)
    search = _count_queries(client, url + "&q=statistics", django_assert_max_num_queries)
    assert search == full_page  # on PostgreSQL the keyword match is part of the page query
    add_experts("Later", 20)
    assert _count_queries(client, url + "&q=statistics&sort=relevance", django_assert_max_num_queries) == search
    assert _count_queries(client, url + "&q=statistics&sort=price_asc&page=2", django_assert_max_num_queries) == search
    category_page = _count_queries(client, "/experts/data/?sort=rating", django_assert_max_num_queries)
    assert category_page == full_page  # the category comes from the cached choices


def test_a_huge_result_is_counted_up_to_a_cap(client, expert_index, monkeypatch):
    monkeypatch.setattr("marketplace.selectors.browse.COUNT_LIMIT", 20)
    for number in range(25):
        make_expert(expert_index, name=f"Expert {number:02d}", prices={60: "50"})
    response = client.get("/experts/")
    assert "More than 20 experts" in response.content.decode()
    assert response.context["result"].page.paginator.num_pages == 2


def _publish_bio(profile, bio):
    page = ExpertPage.objects.get(profile=profile)
    page.bio = bio
    page.save_revision().publish()  # publishing re-indexes the page (marketplace/signals.py)


def test_a_skill_match_ranks_above_a_bio_only_match(client, expert_index):
    # The PostgreSQL database backend weights fields by their boost (A/B/C/D
    # tsvector weights), so skills (boost 3) outrank the bio (no boost). The
    # bio-only expert is created first: ordering by id would put them first.
    in_bio = make_expert(expert_index, name="Bio Mention", prices={60: "50"}, skills=["Gardening"])
    _publish_bio(in_bio, "Before teaching I spent years around kubernetes clusters and other things.")
    make_expert(expert_index, name="Skill Match", prices={60: "50"}, skills=["Kubernetes"])
    make_expert(expert_index, name="No Match", prices={60: "50"}, skills=["Baking"])
    response = client.get("/experts/?q=kubernetes")
    assert names(response) == ["Skill Match", "Bio Mention"]
    # Another sort keeps the same matches and orders them by that sort.
    by_price = client.get("/experts/?q=kubernetes&sort=price_desc")
    assert sorted(names(by_price)) == ["Bio Mention", "Skill Match"]


def test_keyword_search_combines_with_filters_and_every_word_must_match(client, catalogue):
    assert names(client.get("/experts/?q=statistics&category=python-dev")) == ["Ada Lovelace"]
    assert names(client.get("/experts/?q=statistics&category=design")) == []
    assert names(client.get("/experts/?q=statistics+cobol")) == []
    assert names(client.get("/experts/?q=python&language=de")) == ["Alan Turing"]
    # A paused expert's page is not listed even when it matches.
    assert "Paused Person" not in names(client.get("/experts/?q=paused"))


def _heading(response) -> str:
    return re.search(r'id="results-heading"[^>]*>\s*([^<]*?)\s*</h2>', response.content.decode()).group(1)


def test_cached_counts_follow_every_change_to_the_catalogue(client, expert_index, monkeypatch):
    monkeypatch.setattr("marketplace.selectors.browse.PER_PAGE", 2)  # counted, not a short first page
    data = make_category("Data", "data")
    profiles = [make_expert(expert_index, name=f"Expert {n}", prices={60: "50"}, categories=[data]) for n in range(3)]
    url = "/experts/?category=data&sort=rating"
    assert _heading(client.get(url)) == "3 experts"
    assert _heading(client.get(url)) == "3 experts"  # from the cache
    make_expert(expert_index, name="Newcomer", prices={60: "50"}, categories=[data])
    assert _heading(client.get(url)) == "4 experts"  # a new expert
    profiles[0].status = ExpertProfile.Status.PAUSED
    profiles[0].save()
    assert _heading(client.get(url)) == "3 experts"  # a paused profile
    ExpertPage.objects.get(profile=profiles[1]).unpublish()
    assert _heading(client.get(url)) == "2 experts"  # an unpublished page
    page = ExpertPage.objects.get(profile=profiles[2])
    page.categories = []
    page.save_revision().publish()
    assert _heading(client.get(url)) == "1 expert"  # a published edit
    data.slug = "data-science"
    data.save()
    assert "category" in client.get(url).context["form"].errors  # the old slug is gone
    assert _heading(client.get("/experts/?category=data-science&sort=price_asc")) == "1 expert"


def test_cached_counts_are_per_filter_and_keyword(client, expert_index):
    for number in range(13):
        make_expert(expert_index, name=f"Cheap {number}", prices={60: "20"}, languages=("en", "de"))
    make_expert(expert_index, name="Dear", prices={60: "500"})
    assert _heading(client.get("/experts/?price_max=100")) == "13 experts"
    assert _heading(client.get("/experts/?price_max=1000")) == "14 experts"
    assert _heading(client.get("/experts/?price_max=100&sort=price_desc")) == "13 experts"
    assert _heading(client.get("/experts/?language=de")) == "13 experts"
    assert _heading(client.get("/experts/?q=cheap")) == "13 experts for “cheap”"
    assert _heading(client.get("/experts/?q=dear")) == "1 expert for “dear”"


def test_an_available_within_count_is_kept_for_one_minute_only(client, expert_index, monkeypatch):
    # Next free times are written by bulk updates (no signal): the count must not outlive the minute.
    monkeypatch.setattr("marketplace.selectors.browse.PER_PAGE", 2)  # counted, not a short first page
    soon = timezone.now() + timedelta(days=1)
    profiles = [make_expert(expert_index, name=f"Free {n}", prices={60: "50"}) for n in range(3)]
    ExpertProfile.objects.filter(pk__in=[p.pk for p in profiles]).update(next_available_at=soon)
    minute = {"now": 1_000}
    monkeypatch.setattr("marketplace.selectors.browse._current_minute", lambda: minute["now"])
    url = "/experts/?available=7&sort=rating"
    assert _heading(client.get(url)) == "3 experts"
    ExpertProfile.objects.filter(pk=profiles[0].pk).update(next_available_at=None)
    assert _heading(client.get(url)) == "3 experts"  # the same minute: from the cache
    minute["now"] += 1
    assert _heading(client.get(url)) == "2 experts"  # the next minute counts again


def test_cards_show_the_prefetched_photo_without_writing_to_the_cache(client, expert_index, monkeypatch):
    from django.template import Context, Template

    for number in range(3):
        make_expert(expert_index, name=f"Pictured {number}", prices={60: "50"}, photo=True)
    client.get("/experts/")  # the first visit creates the renditions
    page = ExpertPage.objects.filter(title="Pictured 0").select_related("photo").get()
    expected = Template(
        '{% load wagtailimages_tags %}{% image photo fill-160x160 class="expert-card__photo" decoding="async" alt="" %}'
    ).render(Context({"photo": page.photo}))

    writes = []
    backend = page.photo.get_rendition_model().cache_backend
    real_set = backend.set

    def spy(key, *args, **kwargs):
        writes.append(key)
        return real_set(key, *args, **kwargs)

    monkeypatch.setattr(backend, "set", spy)
    html = client.get("/experts/").content.decode()
    assert expected in html  # the same <img> markup Wagtail's tag gives
    assert html.count('class="expert-card__photo"') == 3
    # Served from the selector's prefetch: no rendition is written back per card.
    assert [key for key in writes if key.startswith("wagtail-rendition-")] == []
