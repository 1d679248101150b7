"""A scripted client books and pays a session end to end through the API alone, over HTTP, against the
loopback Stripe server: find an expert, read the free times, hold one, pay it, see it confirmed."""

import uuid
from datetime import datetime, timedelta

import pytest
import requests
from django.utils import timezone

from accounts.services import api_token_create
from billing.models import Payment
from tests.browser import live_server_in_test_transaction

pytestmark = [pytest.mark.e2e, pytest.mark.django_db]

LIVE_PORTS = range(8211, 8220)


def test_a_script_books_and_pays_through_the_api(ada, learner, stripe_server, monkeypatch):
    _token, secret = api_token_create(user=learner, name="script", scopes=["read", "book"])
    with live_server_in_test_transaction(LIVE_PORTS, monkeypatch) as base:
        api = requests.Session()
        api.headers.update({"Authorization": f"Bearer {secret}", "Accept": "application/json"})

        def call(method, path, **kwargs):
            response = api.request(method, f"{base}/api/v1/{path}", timeout=30, **kwargs)
            assert response.status_code < 300, (method, path, response.status_code, response.text)
            return response.json()

        experts = call("GET", "experts/", params={"q": "Ada", "sort": "price_asc"})["results"]
        slug = experts[0]["slug"]
        expert = call("GET", f"experts/{slug}/")
        length = expert["session_types"][0]["length"]
        slots = call("GET", f"experts/{slug}/slots/", params={"length": length, "tz": "Europe/Berlin"})
        if not slots["starts"]:  # Ada works on Mondays: look at the next week too
            slots = call(
                "GET",
                f"experts/{slug}/slots/",
                params={"length": length, "tz": "Europe/Berlin", "from": _days_on(7), "to": _days_on(13)},
            )
        start = slots["starts"][0]

        key = str(uuid.uuid4())
        hold = call(
            "POST",
            "bookings/",
            json={"expert": slug, "length": length, "start": start},
            headers={"Idempotency-Key": key},
        )
        assert hold["status"] == "held" and hold["price"]["amount_minor"] == 8000
        # A network retry of the same request gets the same hold, not a second one.
        again = api.post(
            f"{base}/api/v1/bookings/",
            json={"expert": slug, "length": length, "start": start},
            headers={"Idempotency-Key": key},
            timeout=30,
        )
        assert again.json()["id"] == hold["id"] and again.headers["Idempotent-Replayed"] == "true"

        paid = call(
            "POST",
            f"bookings/{hold['id']}/pay/",
            json={"test_card": "success", "goals_note": "Recursion, please."},
            headers={"Idempotency-Key": str(uuid.uuid4())},
        )
        assert paid["payment_status"] == "succeeded" and paid["booking"]["status"] == "confirmed"
        assert call("GET", f"bookings/{hold['id']}/")["goals_note"] == "Recursion, please."
        assert [row["id"] for row in call("GET", "bookings/", params={"status": "confirmed"})["results"]] == [
            hold["id"]
        ]
        # The flexible policy (the default) refunds in full until 24 hours before, half after that;
        # the first free time may fall either side of that line, depending on when the suite runs.
        quote = call("GET", f"bookings/{hold['id']}/cancel/")
        hours_ahead = (datetime.fromisoformat(hold["start"]) - timezone.now()) / timedelta(hours=1)
        expected = (
            (100, 8000)
            if hours_ahead > 24.1
            else (50, 4000)
            if hours_ahead < 23.9
            else (quote["refund_percent"], quote["refund"]["amount_minor"])
        )
        assert (quote["refund_percent"], quote["refund"]["amount_minor"]) == expected
    payment = Payment.objects.get()
    assert (payment.status, payment.amount_minor, payment.currency) == ("succeeded", 8000, "EUR")


def _days_on(days):
    return (timezone.now() + timedelta(days=days)).date().isoformat()
