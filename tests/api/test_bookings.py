"""Learner API: me, bookings (list, hold), one booking, pay, cancel; ownership, idempotency, scopes, CSRF."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import ApiToken
from api.models import IdempotencyRecord
from billing.models import Payment
from bookings.models import Booking
from tests.builders import booking_in_state, held_booking, paid_booking, session_type_of
from tests.factories import UserFactory
from tests.marketplace.factories import next_monday_nine_berlin

from .conftest import problem_of, token_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def slug(ada):
    return ada.pages.first().slug


@pytest.fixture
def as_learner(learner):
    return token_client(learner)


def hold_body(slug, start=None, length=60):
    return {"expert": slug, "length": length, "start": (start or next_monday_nine_berlin()).isoformat()}


class TestMe:
    def test_anonymous_gets_a_401_problem_that_asks_for_a_bearer_token(self, api):
        response = api.get("/api/v1/me/")
        problem_of(response, 401, "not_authenticated")
        assert response["WWW-Authenticate"].startswith("Bearer")

    def test_a_token_and_a_session_both_say_who_you_are(self, api, learner):
        assert token_client(learner, "read").get("/api/v1/me/").json()["email"] == learner.email
        api.force_login(learner)
        assert api.get("/api/v1/me/").json()["name"] == learner.full_name

    @pytest.mark.parametrize(
        "header", ["Bearer tt_nope", "Bearer", "Bearer a b", "Bearer wagtail_x", "Bearer tt_\u00e9"]
    )
    def test_a_wrong_token_is_a_401(self, header):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=header.encode("utf-8").decode("latin-1"))
        problem_of(client.get("/api/v1/me/"), 401, "authentication_failed")

    def test_a_revoked_token_is_refused_and_use_is_recorded(self, learner):
        client = token_client(learner, "read")
        assert client.get("/api/v1/me/").status_code == 200
        token = ApiToken.objects.get()
        assert token.last_used_at is not None
        token.revoked_at = token.last_used_at
        token.save()
        problem_of(client.get("/api/v1/me/"), 401, "authentication_failed")


class TestHold:
    def test_a_listed_start_is_held_at_the_experts_price(self, as_learner, slug, learner):
        response = as_learner.post("/api/v1/bookings/", hold_body(slug), format="json")
        assert response.status_code == 201, response.content
        body = response.json()
        assert body["status"] == "held" and body["price"]["amount_minor"] == 8000
        assert body["expert"]["slug"] == slug and body["hold_expires_at"]
        assert Booking.objects.get().learner == learner

    def test_the_answer_is_what_reading_the_booking_gives_at_the_sites_query_cost(
        self, as_learner, slug, learner, django_assert_num_queries
    ):
        as_learner.get("/api/v1/me/")  # the token's first use is recorded (one write a minute)
        # The token with its user, the session type on that page, then the hold's own statements
        # (savepoint, both participants' locks, the velocity counts, the session type rechecked,
        # weekly hours, overrides, busy times, the insert, release): no second read for the answer.
        with django_assert_num_queries(11):
            response = as_learner.post("/api/v1/bookings/", hold_body(slug), format="json")
        assert response.status_code == 201, response.content
        again = as_learner.get(f"/api/v1/bookings/{response.json()['id']}/").json()
        assert response.json() == again

    def test_a_taken_time_is_slot_taken(self, as_learner, slug, ada):
        held_booking(learner=UserFactory(), session_type=session_type_of(ada), start=next_monday_nine_berlin())
        body = problem_of(as_learner.post("/api/v1/bookings/", hold_body(slug), format="json"), 409, "slot_taken")
        assert body["reason"] == "taken" and "taken" in body["detail"]

    def test_outside_hours_and_unknown_sessions(self, as_learner, slug):
        late = next_monday_nine_berlin() + timedelta(hours=8)
        problem_of(
            as_learner.post("/api/v1/bookings/", hold_body(slug, late), format="json"), 422, "outside_availability"
        )
        problem_of(as_learner.post("/api/v1/bookings/", hold_body(slug, length=45), format="json"), 404, "not_found")
        problem_of(as_learner.post("/api/v1/bookings/", hold_body("nobody"), format="json"), 404, "not_found")
        assert Booking.objects.count() == 0

    @pytest.mark.parametrize(
        "body, field",
        [
            ({}, "expert"),
            ({"expert": "x", "length": "sixty", "start": "2030-01-01T00:00Z"}, "length"),
            ({"expert": "x", "length": 60, "start": "tomorrow"}, "start"),
            ({"expert": "x", "length": 60, "start": "2030-01-01T09:00"}, "start"),
            ({"expert": "x", "length": 10**12, "start": "2030-01-01T09:00Z"}, "length"),
            ({"expert": ["x"], "length": 60, "start": "2030-01-01T09:00Z"}, "expert"),
            ({"expert": "x", "length": 60, "start": "2030-01-01T09:00Z", "price": 1}, "price"),
        ],
    )
    def test_wrong_bodies_are_400s_naming_the_field(self, as_learner, slug, body, field):
        response = as_learner.post("/api/v1/bookings/", body, format="json")
        assert field in [error["field"] for error in problem_of(response, 400, "invalid")["errors"]]
        assert Booking.objects.count() == 0

    def test_malformed_json_and_other_media_types(self, as_learner):
        problem_of(
            as_learner.post("/api/v1/bookings/", "{nope", content_type="application/json"), 400, "malformed_request"
        )
        problem_of(as_learner.post("/api/v1/bookings/", {"a": "b"}), 415, "unsupported_media_type")

    def test_the_same_key_replays_and_another_body_is_refused(self, as_learner, slug):
        headers = {"HTTP_IDEMPOTENCY_KEY": "hold-1"}
        first = as_learner.post("/api/v1/bookings/", hold_body(slug), format="json", **headers)
        again = as_learner.post("/api/v1/bookings/", hold_body(slug), format="json", **headers)
        assert first.status_code == again.status_code == 201
        assert first.json() == again.json() and again["Idempotent-Replayed"] == "true"
        assert Booking.objects.count() == 1
        other = hold_body(slug, next_monday_nine_berlin() + timedelta(hours=1))
        problem_of(as_learner.post("/api/v1/bookings/", other, format="json", **headers), 422, "idempotency_key_reused")
        assert Booking.objects.count() == 1

    def test_a_refusal_is_replayed_too_and_keys_are_per_user(self, as_learner, slug, ada):
        held_booking(learner=UserFactory(), session_type=session_type_of(ada), start=next_monday_nine_berlin())
        headers = {"HTTP_IDEMPOTENCY_KEY": "k"}
        problem_of(as_learner.post("/api/v1/bookings/", hold_body(slug), format="json", **headers), 409, "slot_taken")
        replay = as_learner.post("/api/v1/bookings/", hold_body(slug), format="json", **headers)
        problem_of(replay, 409, "slot_taken")
        later = hold_body(slug, next_monday_nine_berlin() + timedelta(hours=1))
        other = token_client(UserFactory(), "book", "read")
        assert other.post("/api/v1/bookings/", later, format="json", **headers).status_code == 201

    @pytest.mark.parametrize("key", ["", " ", "x" * 256, "caf\u00e9"])
    def test_a_bad_key_is_refused(self, as_learner, slug, key):
        response = as_learner.post(
            "/api/v1/bookings/", hold_body(slug), format="json", HTTP_IDEMPOTENCY_KEY=key.encode().decode("latin-1")
        )
        problem_of(response, 400, "idempotency_key_invalid")

    def test_a_read_token_cannot_book(self, learner, slug):
        client = token_client(learner, "read")
        problem_of(client.post("/api/v1/bookings/", hold_body(slug), format="json"), 403, "insufficient_scope")
        assert client.get("/api/v1/bookings/").status_code == 200
        problem_of(token_client(learner, "book").get("/api/v1/bookings/"), 403, "insufficient_scope")

    def test_a_session_needs_the_csrf_token_to_post(self, api, learner, slug):
        api.force_login(learner)
        problem_of(api.post("/api/v1/bookings/", hold_body(slug), format="json"), 403, "permission_denied")
        assert Booking.objects.count() == 0


class TestList:
    def test_only_my_bookings_newest_first_with_a_status_filter(self, as_learner, learner, ada):
        monday = next_monday_nine_berlin()
        mine = [booking_in_state(learner=learner, expert=ada.user, start=monday - timedelta(days=d)) for d in (7, 14)]
        booking_in_state(learner=UserFactory(), expert=ada.user, start=monday)
        body = as_learner.get("/api/v1/bookings/").json()
        assert [row["id"] for row in body["results"]] == [mine[0].pk, mine[1].pk]
        assert as_learner.get("/api/v1/bookings/?status=held").json()["results"] == []
        problem_of(as_learner.get("/api/v1/bookings/?status=nope"), 400, "invalid")
        problem_of(as_learner.get("/api/v1/bookings/?cursor=zzz"), 404, "not_found")

    def test_the_list_costs_the_same_queries_for_more_bookings(
        self, as_learner, learner, ada, django_assert_num_queries
    ):
        monday = next_monday_nine_berlin()
        for days in range(2):
            booking_in_state(learner=learner, expert=ada.user, start=monday - timedelta(days=7 * (days + 1)))
        as_learner.get("/api/v1/bookings/")  # the token's first use is recorded (one write a minute)
        # The token with its user, the page of bookings with the experts, and the experts' live pages.
        with django_assert_num_queries(3):
            as_learner.get("/api/v1/bookings/")
        for days in range(2, 30):
            booking_in_state(learner=learner, expert=ada.user, start=monday - timedelta(days=7 * (days + 1)))
        with django_assert_num_queries(3):
            assert len(as_learner.get("/api/v1/bookings/").json()["results"]) == 20


class TestOneBooking:
    def test_the_learner_and_the_expert_see_it_and_nobody_else(self, learner, ada, stripe_server):
        booking = paid_booking(learner=learner, session_type=session_type_of(ada), start=next_monday_nine_berlin())
        url = f"/api/v1/bookings/{booking.pk}/"
        assert token_client(learner).get(url).json()["status"] == "confirmed"
        assert token_client(ada.user).get(url).json()["learner"]["name"] == learner.full_name
        stranger = token_client(UserFactory())
        problem_of(stranger.get(url), 404, "not_found")
        problem_of(stranger.get("/api/v1/bookings/999999999/"), 404, "not_found")


class TestPay:
    def test_a_test_card_pays_and_confirms(self, as_learner, learner, ada, stripe_server):
        booking = held_booking(learner=learner, session_type=session_type_of(ada), start=next_monday_nine_berlin())
        response = as_learner.post(f"/api/v1/bookings/{booking.pk}/pay/", {"test_card": "success"}, format="json")
        assert response.status_code == 200, response.content
        assert response.json()["booking"]["status"] == "confirmed"
        assert response.json()["payment_status"] == "succeeded" and response.json()["client_secret"] is None
        problem_of(
            as_learner.post(f"/api/v1/bookings/{booking.pk}/pay/", {"test_card": "success"}, format="json"),
            409,
            "already_paid",
        )
        assert Payment.objects.count() == 1

    def test_a_declined_card_releases_the_hold(self, as_learner, learner, ada, stripe_server):
        booking = held_booking(learner=learner, session_type=session_type_of(ada), start=next_monday_nine_berlin())
        body = as_learner.post(f"/api/v1/bookings/{booking.pk}/pay/", {"test_card": "decline"}, format="json").json()
        assert body["payment_status"] == "failed" and body["booking"]["status"] == "expired"

    def test_someone_elses_hold_is_404_and_nothing_is_charged(self, learner, ada, stripe_server):
        booking = held_booking(learner=learner, session_type=session_type_of(ada), start=next_monday_nine_berlin())
        for client in (token_client(UserFactory()), token_client(ada.user)):
            response = client.post(f"/api/v1/bookings/{booking.pk}/pay/", {"test_card": "success"}, format="json")
            problem_of(response, 404, "not_found")
        assert Payment.objects.count() == 0

    def test_test_mode_needs_a_card(self, as_learner, learner, ada):
        booking = held_booking(learner=learner, session_type=session_type_of(ada), start=next_monday_nine_berlin())
        problem_of(as_learner.post(f"/api/v1/bookings/{booking.pk}/pay/", {}, format="json"), 400, "invalid")
        bad = as_learner.post(f"/api/v1/bookings/{booking.pk}/pay/", {"test_card": "gold"}, format="json")
        problem_of(bad, 400, "invalid")


class TestCancel:
    def test_get_shows_the_refund_and_post_cancels_once(self, as_learner, learner, ada, stripe_server):
        booking = paid_booking(learner=learner, session_type=session_type_of(ada), start=next_monday_nine_berlin())
        url = f"/api/v1/bookings/{booking.pk}/cancel/"
        preview = as_learner.get(url).json()
        assert preview["cancellable"] is True and preview["refund"]["amount_minor"] == 8000
        response = as_learner.post(url, format="json")
        assert response.status_code == 200, response.content
        assert response.json()["status"] == "cancelled_by_learner"
        assert as_learner.get(url).json()["cancellable"] is False
        problem_of(as_learner.post(url, format="json"), 409, "not_cancellable")

    def test_a_late_cancellation_shows_and_refunds_the_policys_half(self, as_learner, learner, ada, stripe_server):
        booking = paid_booking(learner=learner, session_type=session_type_of(ada), start=next_monday_nine_berlin())
        start = timezone.now() + timedelta(hours=10)  # inside the flexible policy's 50 % window
        Booking.objects.filter(pk=booking.pk).update(start=start, end=start + timedelta(hours=1))
        url = f"/api/v1/bookings/{booking.pk}/cancel/"
        preview = as_learner.get(url).json()
        assert (preview["refund"]["amount_minor"], preview["refund_percent"]) == (4000, 50)
        assert preview["refund_changes_at"] is not None
        assert as_learner.post(url, format="json").status_code == 200
        booking.refresh_from_db()
        assert booking.refund_minor == 4000 and Payment.objects.get(booking=booking).refunded_minor == 4000

    def test_only_the_learner_can_cancel(self, learner, ada, stripe_server):
        booking = paid_booking(learner=learner, session_type=session_type_of(ada), start=next_monday_nine_berlin())
        for client in (token_client(UserFactory()), token_client(ada.user)):
            problem_of(client.get(f"/api/v1/bookings/{booking.pk}/cancel/"), 404, "not_found")
            problem_of(client.post(f"/api/v1/bookings/{booking.pk}/cancel/", format="json"), 404, "not_found")
        booking.refresh_from_db()
        assert booking.status == "confirmed"


def test_a_server_error_frees_the_key_for_a_retry(as_learner, slug, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("api.views.learner.booking_hold", broken)
    as_learner.raise_request_exception = False
    response = as_learner.post("/api/v1/bookings/", hold_body(slug), format="json", HTTP_IDEMPOTENCY_KEY="k1")
    assert response.status_code == 500
    assert not IdempotencyRecord.objects.exists()
    monkeypatch.undo()
    again = as_learner.post("/api/v1/bookings/", hold_body(slug), format="json", HTTP_IDEMPOTENCY_KEY="k1")
    assert again.status_code == 201


class TestReschedule:
    def test_the_learner_moves_a_paid_session_and_a_retry_with_the_key_answers_the_same(
        self, as_learner, learner, ada, stripe_server
    ):
        start = next_monday_nine_berlin()
        booking = paid_booking(learner=learner, session_type=session_type_of(ada), start=start)
        url = f"/api/v1/bookings/{booking.pk}/reschedule/"
        new_start = (start + timedelta(hours=1)).isoformat()
        first = as_learner.post(url, {"start": new_start}, format="json", HTTP_IDEMPOTENCY_KEY="move-1")
        assert first.status_code == 200, first.content
        again = as_learner.post(url, {"start": new_start}, format="json", HTTP_IDEMPOTENCY_KEY="move-1")
        assert again.json() == first.json()
        booking.refresh_from_db()
        assert (booking.start, booking.reschedule_count) == (start + timedelta(hours=1), 1)

    def test_wrong_input_and_refusals_are_problems_and_change_nothing(self, as_learner, learner, ada, stripe_server):
        start = next_monday_nine_berlin()
        booking = paid_booking(learner=learner, session_type=session_type_of(ada), start=start)
        url = f"/api/v1/bookings/{booking.pk}/reschedule/"
        problem_of(as_learner.post(url, {}, format="json"), 400, "invalid")
        problem_of(as_learner.post(url, {"start": "yesterday"}, format="json"), 400, "invalid")
        problem_of(as_learner.post(url, {"start": start.isoformat(), "price": 1}, format="json"), 400, "invalid")
        problem_of(as_learner.post(url, {"start": start.isoformat()}, format="json"), 422, "same_time")
        night = (start + timedelta(hours=14)).isoformat()  # outside Ada's Monday-morning hours
        assert as_learner.post(url, {"start": night}, format="json").status_code == 422
        Booking.objects.filter(pk=booking.pk).update(reschedule_count=99)
        problem_of(
            as_learner.post(url, {"start": (start + timedelta(hours=1)).isoformat()}, format="json"), 409, "not_movable"
        )
        booking.refresh_from_db()
        assert booking.start == start and booking.status == "confirmed"
