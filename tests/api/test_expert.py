"""Expert API: profile (to moderation), offerings, weekly hours, days off, sessions; experts only, own data only."""

from datetime import time, timedelta

import pytest

from bookings.models import DateOverride, WeeklyHours
from marketplace.models import ExpertPage, SessionType
from tests.builders import booking_in_state
from tests.factories import UserFactory
from tests.marketplace.factories import make_category, next_monday_nine_berlin

from .conftest import problem_of, token_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_ada(ada):
    return token_client(ada.user, "expert")


EXPERT_GETS = [
    "/api/v1/expert/profile/",
    "/api/v1/expert/offerings/",
    "/api/v1/expert/availability/",
    "/api/v1/expert/sessions/",
]


@pytest.mark.parametrize("url", EXPERT_GETS)
def test_learners_and_tokens_without_the_scope_are_refused(ada, learner, url):
    problem_of(token_client(learner, "read", "book", "expert").get(url), 403, "permission_denied")
    problem_of(token_client(ada.user, "read", "book").get(url), 403, "insufficient_scope")
    assert token_client(ada.user, "expert").get(url).status_code == 200


class TestProfile:
    def test_a_change_goes_to_moderation_and_the_live_page_keeps_the_old_text(self, as_ada, ada):
        make_category("Data", "data")
        response = as_ada.patch(
            "/api/v1/expert/profile/", {"headline": "New headline", "categories": ["data"]}, format="json"
        )
        assert response.status_code == 202, response.content
        body = response.json()
        assert body["page"]["headline"] == "New headline" and body["page"]["categories"] == ["data"]
        assert body["pending_review"] is True
        assert ExpertPage.objects.get(profile=ada).headline != "New headline"
        assert as_ada.get("/api/v1/expert/profile/").json()["page"]["headline"] == "New headline"

    @pytest.mark.parametrize(
        "body, field",
        [
            ({"categories": ["nope"]}, "categories"),
            ({"languages": ["xx"]}, "languages"),
            ({"languages": []}, "languages"),
            ({"website_url": "javascript:alert(1)"}, "website_url"),
            ({"years_experience": 200}, "years_experience"),
            ({"title": ""}, "title"),
            ({"skills": "not a list"}, "skills"),
            ({"headlin": "typo"}, "headlin"),
        ],
    )
    def test_wrong_fields_are_400s_and_nothing_is_submitted(self, as_ada, ada, body, field):
        revisions = ExpertPage.objects.get(profile=ada).revisions.count()
        response = as_ada.patch("/api/v1/expert/profile/", body, format="json")
        assert field in [error["field"] for error in problem_of(response, 400, "invalid")["errors"]]
        assert ExpertPage.objects.get(profile=ada).revisions.count() == revisions


class TestOfferings:
    def test_add_change_and_remove_a_session_length(self, as_ada, ada):
        response = as_ada.post("/api/v1/expert/offerings/", {"length": 30, "price": "45.50"}, format="json")
        assert response.status_code == 201, response.content
        lengths = {row["length"]: row["price"]["amount_minor"] for row in response.json()["session_types"]}
        assert lengths == {30: 4550, 60: 8000}
        changed = as_ada.patch("/api/v1/expert/offerings/30/", {"is_active": False}, format="json").json()
        assert [row["is_active"] for row in changed["session_types"] if row["length"] == 30] == [False]
        assert as_ada.delete("/api/v1/expert/offerings/30/").status_code == 204
        assert list(SessionType.objects.filter(profile=ada).values_list("duration_minutes", flat=True)) == [60]

    def test_refusals(self, as_ada):
        problem_of(
            as_ada.post("/api/v1/expert/offerings/", {"length": 60, "price": "50"}, format="json"),
            422,
            "rule_violation",
        )
        problem_of(
            as_ada.post("/api/v1/expert/offerings/", {"length": 25, "price": "50"}, format="json"), 400, "invalid"
        )
        problem_of(
            as_ada.post("/api/v1/expert/offerings/", {"length": 30, "price": "0"}, format="json"), 400, "invalid"
        )
        problem_of(as_ada.patch("/api/v1/expert/offerings/45/", {"price": "9"}, format="json"), 404, "not_found")
        problem_of(as_ada.delete("/api/v1/expert/offerings/99999999999/"), 404, "not_found")

    def test_another_experts_length_names_only_your_own(self, as_ada, expert_index):
        bob = token_client(UserFactory(), "expert")
        problem_of(bob.delete("/api/v1/expert/offerings/60/"), 403, "permission_denied")
        assert SessionType.objects.filter(duration_minutes=60).exists()


class TestAvailability:
    def test_replace_weekly_hours_and_rules(self, as_ada, ada):
        body = {
            "weekly_hours": [{"weekday": 1, "start": "10:00", "end": "12:00"}],
            "policy": {"min_notice_hours": 24, "horizon_days": 30, "buffer_minutes": 15, "slot_step_minutes": 60},
        }
        response = as_ada.put("/api/v1/expert/availability/", body, format="json")
        assert response.status_code == 200, response.content
        assert list(WeeklyHours.objects.filter(profile=ada).values_list("weekday", "start", "end")) == [
            (1, time(10), time(12))
        ]
        assert response.json()["policy"]["slot_step_minutes"] == 60

    def test_overlapping_hours_change_nothing(self, as_ada, ada):
        body = {
            "weekly_hours": [
                {"weekday": 0, "start": "09:00", "end": "12:00"},
                {"weekday": 0, "start": "11:00", "end": "13:00"},
            ]
        }
        problem_of(as_ada.put("/api/v1/expert/availability/", body, format="json"), 422, "invalid_weekly_hours")
        assert WeeklyHours.objects.filter(profile=ada).count() == 1
        bad = {"weekly_hours": [{"weekday": 9, "start": "25:00", "end": "x"}]}
        problem_of(as_ada.put("/api/v1/expert/availability/", bad, format="json"), 400, "invalid")

    def test_days_off_come_and_go(self, as_ada, ada):
        day = next_monday_nine_berlin().date()
        response = as_ada.post("/api/v1/expert/availability/days-off/", {"day": day.isoformat()}, format="json")
        assert response.json()["days_off"] == [day.isoformat()]
        past = (day - timedelta(days=30)).isoformat()
        problem_of(as_ada.post("/api/v1/expert/availability/days-off/", {"day": past}, format="json"), 422, "past_date")
        assert as_ada.delete(f"/api/v1/expert/availability/days-off/{day.isoformat()}/").status_code == 200
        assert not DateOverride.objects.filter(profile=ada).exists()
        problem_of(as_ada.delete(f"/api/v1/expert/availability/days-off/{day.isoformat()}/"), 404, "not_found")
        problem_of(as_ada.delete("/api/v1/expert/availability/days-off/not-a-day/"), 400, "invalid")


class TestSessions:
    def test_paid_sessions_only_newest_first_with_a_fixed_query_count(
        self, as_ada, ada, learner, django_assert_num_queries
    ):
        monday = next_monday_nine_berlin()
        booking_in_state(learner=learner, expert=ada.user, start=monday, status="held")
        for weeks in range(1, 4):
            booking_in_state(learner=learner, expert=ada.user, start=monday - timedelta(weeks=weeks))
        as_ada.get("/api/v1/expert/sessions/")
        with django_assert_num_queries(3):
            rows = as_ada.get("/api/v1/expert/sessions/").json()["results"]
        assert [row["status"] for row in rows] == ["confirmed"] * 3
        for weeks in range(4, 30):
            booking_in_state(learner=learner, expert=ada.user, start=monday - timedelta(weeks=weeks))
        with django_assert_num_queries(3):
            assert len(as_ada.get("/api/v1/expert/sessions/").json()["results"]) == 20


def test_offerings_cost_the_same_queries_for_more_lengths(as_ada, ada, django_assert_num_queries):
    as_ada.get("/api/v1/expert/offerings/")
    # The token with its user, the profile, the session types, the packages.
    with django_assert_num_queries(4):
        as_ada.get("/api/v1/expert/offerings/")
    for length in (30, 45, 90):
        as_ada.post("/api/v1/expert/offerings/", {"length": length, "price": "50"}, format="json")
    with django_assert_num_queries(4):
        assert len(as_ada.get("/api/v1/expert/offerings/").json()["session_types"]) == 4
