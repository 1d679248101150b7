"""Public API: categories, the expert list (browse's filters, sorts, search), one expert, free times."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.builders import held_booking, session_type_of
from tests.factories import UserFactory
from tests.marketplace.factories import make_ada, make_category, make_expert, next_monday_nine_berlin

from .conftest import problem_of

pytestmark = pytest.mark.django_db


def test_categories_list_parents_and_children(api):
    parent = make_category("Programming", "programming")
    make_category("Python", "python", parent=parent)
    body = api.get("/api/v1/categories/").json()
    assert [(row["slug"], row["parent"]) for row in body] == [("programming", None), ("python", "programming")]


class TestExperts:
    @pytest.fixture
    def three(self, expert_index):
        data = make_category("Data", "data")
        return [
            make_expert(expert_index, name="Ann", prices={60: "50"}, rating="4.8", rating_count=3, categories=[data]),
            make_expert(expert_index, name="Bob", prices={60: "90"}, rating="4.1", rating_count=2, languages=("de",)),
            make_expert(expert_index, name="Cy", prices={60: "20"}, rating="3.2", rating_count=1),
        ]

    def test_filters_and_sorts_mirror_browse(self, api, three):
        names = lambda response: [row["name"] for row in response.json()["results"]]  # noqa: E731
        assert names(api.get("/api/v1/experts/?sort=price_asc")) == ["Cy", "Ann", "Bob"]
        assert names(api.get("/api/v1/experts/?sort=rating")) == ["Ann", "Bob", "Cy"]
        assert names(api.get("/api/v1/experts/?category=data")) == ["Ann"]
        assert names(api.get("/api/v1/experts/?language=de")) == ["Bob"]
        assert names(api.get("/api/v1/experts/?price_min=30&price_max=60")) == ["Ann"]
        assert names(api.get("/api/v1/experts/?rating=4")) == ["Ann", "Bob"]

    def test_a_card_carries_price_rating_and_languages(self, api, three):
        card = api.get("/api/v1/experts/?sort=rating&page_size=1").json()["results"][0]
        assert card["price_from"] == {"amount_minor": 5000, "currency": "USD", "display": "$50.00"}
        assert card["rating"] == {"average": "4.80", "count": 3}
        assert card["languages"] == ["en"] and card["url"].endswith("/experts/ann/")

    def test_cursor_pages_walk_the_whole_list_once(self, api, three):
        seen, url = [], "/api/v1/experts/?sort=price_asc&page_size=2"
        while url:
            body = api.get(url).json()
            seen += [row["name"] for row in body["results"]]
            url = body["next"]
        assert seen == ["Cy", "Ann", "Bob"]
        second = api.get("/api/v1/experts/?sort=price_asc&page_size=2").json()["next"]
        assert api.get(second).json()["previous"] == "http://testserver/api/v1/experts/?page_size=2&sort=price_asc"

    @pytest.mark.parametrize(
        "query, field",
        [
            ("sort=cheapest", "sort"),
            ("rating=2", "rating"),
            ("available=2", "available"),
            ("price_min=-1", "price_min"),
            ("category=nope", "category"),
            ("tz=Mars/Base", "tz"),
        ],
    )
    def test_a_wrong_filter_is_a_400_naming_the_field(self, api, three, query, field):
        body = problem_of(api.get(f"/api/v1/experts/?{query}"), 400, "invalid")
        assert [error["field"] for error in body["errors"]] == [field]

    @pytest.mark.parametrize("cursor", ["garbage", "cD05OTk5OQ", "cD0tMQ", "%00"])
    def test_a_forged_cursor_is_a_404_problem(self, api, three, cursor):
        problem_of(api.get(f"/api/v1/experts/?cursor={cursor}"), 404, "not_found")

    @pytest.mark.parametrize("size", ["100000", "51", "0", "-1", "ten", "1e3", str(10**30)])
    def test_a_page_size_outside_1_to_50_is_a_400_naming_it(self, api, three, size):
        body = problem_of(api.get(f"/api/v1/experts/?page_size={size}"), 400, "invalid")
        assert [error["field"] for error in body["errors"]] == ["page_size"]

    def test_the_page_size_bounds_are_served(self, api, three):
        assert len(api.get("/api/v1/experts/?page_size=50").json()["results"]) == 3
        assert len(api.get("/api/v1/experts/?page_size=1").json()["results"]) == 1

    def test_the_list_costs_the_same_queries_for_more_experts(self, api, expert_index, django_assert_num_queries):
        for index in range(3):
            make_expert(expert_index, name=f"E{index}", prices={60: "50"}, photo=True)
        api.get("/api/v1/experts/")  # warm the caches the page also keeps warm
        # The page of rows, the photo renditions, and the site root for the page URLs.
        with django_assert_num_queries(3):
            api.get("/api/v1/experts/")
        for index in range(3, 12):
            make_expert(expert_index, name=f"E{index}", prices={60: "50"}, photo=True)
        api.get("/api/v1/experts/")
        with django_assert_num_queries(3):
            assert len(api.get("/api/v1/experts/").json()["results"]) == 12


class TestOneExpert:
    def test_detail_lists_what_can_be_booked(self, api, expert_index):
        ada = make_ada(expert_index, skills=["Python"])
        body = api.get(f"/api/v1/experts/{ada.pages.first().slug}/").json()
        assert body["name"] == "Ada Lovelace" and body["time_zone"] == "Europe/Berlin"
        assert body["session_types"] == [
            {"length": 60, "price": {"amount_minor": 8000, "currency": "EUR", "display": "€80.00"}}
        ]
        assert body["skills"] == ["Python"]

    def test_unknown_inactive_and_draft_experts_are_404(self, api, expert_index):
        paused = make_expert(expert_index, name="Paused", status="paused")
        draft = make_ada(expert_index)
        draft.pages.first().unpublish()
        for slug in ("nobody", paused.pages.first().slug, draft.pages.first().slug):
            problem_of(api.get(f"/api/v1/experts/{slug}/"), 404, "not_found")
            problem_of(api.get(f"/api/v1/experts/{slug}/slots/"), 404, "not_found")

    def test_slots_are_the_engines_and_a_held_time_disappears(self, api, expert_index):
        ada = make_ada(expert_index)
        slug = ada.pages.first().slug
        monday = next_monday_nine_berlin()
        day = monday.date().isoformat()
        url = f"/api/v1/experts/{slug}/slots/?from={day}&to={day}&tz=Europe/Berlin"
        starts = api.get(url).json()["starts"]
        assert starts[0] == monday.isoformat().replace("+00:00", "Z")
        assert len(starts) == 5  # 09:00 to 11:00 every 30 minutes, for 60 minutes
        held_booking(learner=UserFactory(), session_type=session_type_of(ada), start=monday)
        assert monday.isoformat().replace("+00:00", "Z") not in api.get(url).json()["starts"]

    @pytest.mark.parametrize(
        "query, field",
        [
            ("from=2026-13-01", "from"),
            ("from=0001-01-01&tz=Pacific/Kiritimati", "from"),
            ("from=2030-01-01&to=2029-01-01", "to"),
            ("from=2030-01-01&to=2030-03-01", "to"),
            ("tz=Nowhere", "tz"),
            ("length=abc", "length"),
        ],
    )
    def test_wrong_slot_queries_are_400s(self, api, expert_index, query, field):
        slug = make_ada(expert_index).pages.first().slug
        body = problem_of(api.get(f"/api/v1/experts/{slug}/slots/?{query}"), 400, "invalid")
        assert field in [error["field"] for error in body["errors"]]

    def test_a_length_not_offered_is_404(self, api, expert_index):
        slug = make_ada(expert_index).pages.first().slug
        problem_of(api.get(f"/api/v1/experts/{slug}/slots/?length=45"), 404, "not_found")

    def test_slots_cost_a_fixed_number_of_queries(self, api, expert_index, django_assert_max_num_queries):
        ada = make_ada(expert_index)
        slug = ada.pages.first().slug
        start = timezone.now() + timedelta(days=3)
        with django_assert_max_num_queries(7):
            api.get(f"/api/v1/experts/{slug}/slots/?from={start.date().isoformat()}")


def test_an_unknown_api_address_is_a_problem_not_the_sites_page(api):
    problem_of(api.get("/api/v1/nothing-here/"), 404, "not_found")


def test_categories_cost_no_query_once_cached(api, django_assert_num_queries):
    parent = make_category("Programming", "programming")
    for index in range(5):
        make_category(f"Child {index}", f"child-{index}", parent=parent)
    api.get("/api/v1/categories/")  # the cached choices browse also reads
    with django_assert_num_queries(0):
        assert len(api.get("/api/v1/categories/").json()) == 6
