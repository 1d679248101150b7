"""The expert's API to propose another time and to cancel; the learner's answer to a proposal."""

from datetime import timedelta

import pytest

from billing.models import Payment
from bookings.models import Booking, MoveProposal
from tests.builders import paid_booking, session_type_of
from tests.factories import UserFactory
from tests.marketplace.factories import next_monday_nine_berlin

from .conftest import problem_of, token_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def booking(learner, ada, stripe_server):
    return paid_booking(learner=learner, session_type=session_type_of(ada), start=next_monday_nine_berlin())


def propose_url(booking):
    return f"/api/v1/expert/sessions/{booking.pk}/propose/"


def answer_url(booking):
    return f"/api/v1/bookings/{booking.pk}/proposal/"


class TestPropose:
    def test_the_expert_proposes_a_free_time_and_the_learner_sees_it(self, booking, ada, learner, mailoutbox):
        new_start = booking.start + timedelta(hours=1)
        response = token_client(ada.user).post(propose_url(booking), {"start": new_start.isoformat()}, format="json")
        assert response.status_code == 201, response.content
        proposal = response.json()
        assert proposal["status"] == "open" and proposal["start"].startswith(new_start.strftime("%Y-%m-%dT%H:%M"))
        state = token_client(learner, "read").get(answer_url(booking)).json()
        assert state["proposal"]["id"] == proposal["id"] and state["booking"]["id"] == booking.pk
        # The session itself has not moved: a proposal holds no time.
        booking.refresh_from_db()
        assert booking.start == next_monday_nine_berlin()

    def test_a_newer_proposal_replaces_the_open_one(self, booking, ada):
        client = token_client(ada.user)
        first = client.post(
            propose_url(booking), {"start": (booking.start + timedelta(hours=1)).isoformat()}, format="json"
        )
        second = client.post(
            propose_url(booking), {"start": (booking.start + timedelta(hours=2)).isoformat()}, format="json"
        )
        assert first.status_code == second.status_code == 201
        statuses = dict(MoveProposal.objects.values_list("pk", "status"))
        assert statuses == {first.json()["id"]: "withdrawn", second.json()["id"]: "open"}

    def test_wrong_input_is_a_problem_and_proposes_nothing(self, booking, ada):
        client = token_client(ada.user)
        problem_of(client.post(propose_url(booking), {}, format="json"), 400, "invalid")
        problem_of(client.post(propose_url(booking), {"start": "soon"}, format="json"), 400, "invalid")
        problem_of(
            client.post(propose_url(booking), {"start": booking.start.isoformat(), "x": 1}, format="json"),
            400,
            "invalid",
        )
        problem_of(
            client.post(propose_url(booking), {"start": booking.start.isoformat()}, format="json"), 422, "same_time"
        )
        night = (booking.start + timedelta(hours=14)).isoformat()  # outside Ada's hours
        assert client.post(propose_url(booking), {"start": night}, format="json").status_code == 422
        assert not MoveProposal.objects.exists()

    def test_only_the_sessions_expert_may_propose_and_a_learner_token_needs_the_expert_scope(self, booking, learner):
        later = {"start": (booking.start + timedelta(hours=1)).isoformat()}
        problem_of(token_client(learner).post(propose_url(booking), later, format="json"), 404, "not_found")
        problem_of(token_client(UserFactory()).post(propose_url(booking), later, format="json"), 404, "not_found")
        assert not MoveProposal.objects.exists()

    def test_a_read_token_cannot_propose(self, booking, ada):
        later = {"start": (booking.start + timedelta(hours=1)).isoformat()}
        problem_of(
            token_client(ada.user, "read").post(propose_url(booking), later, format="json"), 403, "insufficient_scope"
        )

    def test_a_cancelled_session_is_not_movable(self, booking, ada):
        Booking.objects.filter(pk=booking.pk).update(status=Booking.Status.CANCELLED_BY_LEARNER)
        later = {"start": (booking.start + timedelta(hours=1)).isoformat()}
        problem_of(token_client(ada.user).post(propose_url(booking), later, format="json"), 409, "not_movable")


class TestAnswer:
    def propose(self, booking, ada, hours=1):
        start = booking.start + timedelta(hours=hours)
        return token_client(ada.user).post(propose_url(booking), {"start": start.isoformat()}, format="json").json()

    def test_accepting_moves_the_session_once_even_when_retried_with_the_key(self, booking, ada, learner):
        proposal = self.propose(booking, ada)
        client = token_client(learner)
        body = {"proposal": proposal["id"], "answer": "accept"}
        first = client.post(answer_url(booking), body, format="json", HTTP_IDEMPOTENCY_KEY="yes-1")
        assert first.status_code == 200, first.content
        assert first.json()["proposal"] is None
        again = client.post(answer_url(booking), body, format="json", HTTP_IDEMPOTENCY_KEY="yes-1")
        assert again.json() == first.json()
        booking.refresh_from_db()
        # Moved by the expert's request: it does not count against the learner's moves.
        assert (booking.start, booking.reschedule_count) == (next_monday_nine_berlin() + timedelta(hours=1), 0)
        # Without the key, a second answer finds the proposal closed.
        problem_of(client.post(answer_url(booking), body, format="json"), 409, "proposal_closed")

    def test_declining_changes_nothing_but_the_proposal(self, booking, ada, learner):
        proposal = self.propose(booking, ada)
        response = token_client(learner).post(
            answer_url(booking), {"proposal": proposal["id"], "answer": "decline"}, format="json"
        )
        assert response.status_code == 200
        booking.refresh_from_db()
        assert booking.start == next_monday_nine_berlin()
        assert MoveProposal.objects.get().status == "declined"

    def test_a_time_taken_meanwhile_lapses_the_proposal_and_the_session_stays(self, booking, ada, learner):
        proposal = self.propose(booking, ada)
        paid_booking(learner=UserFactory(), session_type=session_type_of(ada), start=booking.start + timedelta(hours=1))
        problem_of(
            token_client(learner).post(
                answer_url(booking), {"proposal": proposal["id"], "answer": "accept"}, format="json"
            ),
            409,
            "proposal_lapsed",
        )
        booking.refresh_from_db()
        assert booking.start == next_monday_nine_berlin() and MoveProposal.objects.get().status == "lapsed"

    @pytest.mark.parametrize(
        "body, status",
        [({}, 400), ({"proposal": "one", "answer": "accept"}, 400), ({"proposal": 1, "answer": "maybe"}, 400)],
    )
    def test_wrong_answers_are_problems(self, booking, ada, learner, body, status):
        self.propose(booking, ada)
        problem_of(token_client(learner).post(answer_url(booking), body, format="json"), status, "invalid")
        assert MoveProposal.objects.get().status == "open"

    def test_another_bookings_proposal_id_is_closed_here(self, booking, ada, learner, stripe_server):
        other = paid_booking(
            learner=UserFactory(), session_type=session_type_of(ada), start=booking.start + timedelta(days=7)
        )
        foreign = self.propose(other, ada)
        problem_of(
            token_client(learner).post(
                answer_url(booking), {"proposal": foreign["id"], "answer": "accept"}, format="json"
            ),
            409,
            "proposal_closed",
        )
        assert MoveProposal.objects.get().status == "open"

    def test_the_expert_can_read_but_not_answer(self, booking, ada):
        proposal = self.propose(booking, ada)
        client = token_client(ada.user)
        assert client.get(answer_url(booking)).json()["proposal"]["id"] == proposal["id"]
        problem_of(
            client.post(answer_url(booking), {"proposal": proposal["id"], "answer": "accept"}, format="json"),
            404,
            "not_found",
        )


class TestExpertCancel:
    def url(self, booking):
        return f"/api/v1/expert/sessions/{booking.pk}/cancel/"

    def test_get_shows_the_full_refund_and_post_cancels_once(self, booking, ada, mailoutbox):
        client = token_client(ada.user)
        preview = client.get(self.url(booking)).json()
        assert preview["cancellable"] is True and preview["refund"]["amount_minor"] == booking.amount_minor
        response = client.post(self.url(booking), format="json")
        assert response.status_code == 200, response.content
        assert response.json()["status"] == "cancelled_by_expert"
        assert Payment.objects.get(booking=booking).refunded_minor == booking.amount_minor
        after = client.get(self.url(booking)).json()
        assert after["cancellable"] is False and after["refund"]["amount_minor"] == 0
        problem_of(client.post(self.url(booking), format="json"), 409, "not_cancellable")

    def test_a_started_session_cannot_be_cancelled_by_the_expert(self, booking, ada):
        Booking.objects.filter(pk=booking.pk).update(
            start=booking.start - timedelta(days=30), end=booking.end - timedelta(days=30)
        )
        client = token_client(ada.user)
        assert client.get(self.url(booking)).json()["refusal_code"] == "started"
        problem_of(client.post(self.url(booking), format="json"), 409, "not_cancellable")
        assert Booking.objects.get(pk=booking.pk).status == "confirmed"

    def test_the_learner_and_strangers_get_the_unknown_ids_404(self, booking, learner):
        for user in (learner, UserFactory()):
            problem_of(token_client(user).post(self.url(booking), format="json"), 404, "not_found")
        assert Booking.objects.get(pk=booking.pk).status == "confirmed"
