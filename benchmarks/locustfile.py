"""Mixed load on the scale-out stack (scripts/stack.sh): browsing, expert pages, sign-ins, holds, payments.

Run through ``benchmarks/stack_load.sh`` (it seeds the accounts, runs locust headless for a fixed
time and checks the database afterwards), or by hand against a running stack:

    LOAD_ACCOUNTS=.stack/load-accounts.json .venv/bin/locust -f benchmarks/locustfile.py --headless \\
        -H http://127.0.0.1:8080 -u 200 -r 20 --run-time 5m --csv .stack/load

Loopback only: a host that is not 127.0.0.0/8, ::1 or localhost stops the run before any request.
Users (weights): anonymous visitors 6 (home, browse, an expert page and its free times, blog,
search), learners 3 (sign in once, dashboard, hold a slot and pay with the success test card
against localstripe; one hold in five is a slot just over 24 hours ahead, so its day-before
reminder comes due during the run), sign-ins 1 (sign in, dashboard, sign out).
"""

from __future__ import annotations

import ipaddress
import itertools
import json
import os
import random
import re
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from locust import HttpUser, between, events, task

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ACCOUNTS = json.loads(open(os.environ.get("LOAD_ACCOUNTS", ".stack/load-accounts.json")).read())  # noqa: SIM115
EXPERTS = ACCOUNTS["experts"]
PASSWORD = ACCOUNTS["password"]
_learner_numbers = itertools.count()


@events.test_start.add_listener
def _loopback_only(environment, **kwargs):
    host = urlsplit(environment.host or "").hostname or ""
    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise SystemExit(f"locustfile: {environment.host} is not a loopback address; refusing to send load there")


def _csrf(html: str) -> str:
    match = CSRF_INPUT.search(html)
    return match.group(1) if match else ""


def _slot(soon: bool) -> str:
    """A free-looking half-hour: just over a day ahead (its reminder comes due) or 2–90 days ahead."""
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    base = now.replace(minute=0) + timedelta(hours=1)
    if soon:
        start = base + timedelta(days=1, minutes=30 * random.randint(0, 2))
    else:
        start = base + timedelta(days=random.randint(2, 90), minutes=30 * random.randint(0, 44))
    return start.isoformat()


class Visitor(HttpUser):
    weight = 6
    wait_time = between(1, 3)

    @task(3)
    def home(self):
        self.client.get("/", name="home")

    @task(3)
    def browse(self):
        self.client.get("/experts/", name="browse")

    @task(5)
    def expert_page(self):
        expert = random.choice(EXPERTS)
        self.client.get(expert["url"], name="expert page")
        self.client.get(f"/experts/book/{expert['id']}/times/", name="expert free times")

    @task(1)
    def blog(self):
        self.client.get("/blog/", name="blog")

    @task(1)
    def search(self):
        self.client.get("/search/?q=" + random.choice(["python", "design", "career", "data"]), name="search")


def _sign_in(client, email: str) -> bool:
    token = _csrf(client.get("/accounts/login/", name="sign-in form").text)
    with client.post(
        "/accounts/login/",
        data={"csrfmiddlewaretoken": token, "login": email, "password": PASSWORD},
        name="sign in",
        allow_redirects=False,
        catch_response=True,
    ) as response:
        if response.status_code != 302:
            response.failure(f"sign-in answered {response.status_code}")
            return False
        response.success()
    return True


class Learner(HttpUser):
    weight = 3
    wait_time = between(2, 5)

    def on_start(self):
        self.email = f"load-learner-{next(_learner_numbers) % ACCOUNTS['learners']}@example.com"
        self.signed_in = _sign_in(self.client, self.email)

    @task(2)
    def dashboard(self):
        if self.signed_in:
            self.client.get("/dashboard/", name="dashboard")

    @task(3)
    def hold_and_pay(self):
        if not self.signed_in:
            return
        expert = random.choice(EXPERTS)
        page = self.client.get(expert["url"], name="expert page (signed in)")
        data = {"csrfmiddlewaretoken": _csrf(page.text) or self.client.cookies.get("csrftoken", ""), "session": "30"}
        data.update({"tz": "UTC", "start": _slot(soon=random.random() < 0.2)})
        with self.client.post(
            f"/experts/book/{expert['id']}/", data=data, name="hold", allow_redirects=False, catch_response=True
        ) as response:
            location = response.headers.get("Location", "")
            if response.status_code != 302 or "/review/" not in location:
                # Someone else has that time (or a limit): the form says so. Not an error of the site.
                response.success() if response.status_code < 500 else response.failure(str(response.status_code))
                return
        review = self.client.get(location, name="review")
        with self.client.post(
            location,
            data={"csrfmiddlewaretoken": _csrf(review.text), "test_card": "success", "goals_note": ""},
            name="pay",
            allow_redirects=False,
            catch_response=True,
        ) as paid:
            if paid.status_code >= 500:
                paid.failure(str(paid.status_code))
            else:
                paid.success()
        if paid.headers.get("Location"):
            self.client.get(paid.headers["Location"], name="after payment")


class SignInChurn(HttpUser):
    weight = 1
    wait_time = between(3, 6)

    @task
    def sign_in_and_out(self):
        email = f"load-learner-{random.randrange(ACCOUNTS['learners'])}@example.com"
        if _sign_in(self.client, email):
            dashboard = self.client.get("/dashboard/", name="dashboard")
            self.client.post("/accounts/logout/", data={"csrfmiddlewaretoken": _csrf(dashboard.text)}, name="sign out")
        self.client.cookies.clear()
