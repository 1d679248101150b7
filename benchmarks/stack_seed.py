"""Accounts for the mixed load test (benchmarks/locustfile.py), made once in the stack's database.

    DJANGO_SETTINGS_MODULE=… .venv/bin/python -m benchmarks.stack_seed   (benchmarks/stack_load.sh runs it)

20 load experts open every day around the clock (30-minute sessions, no notice, no buffer)
and ``LOAD_LEARNERS`` (default 200) learners with verified addresses and one password.
Prints the experts' page ids and slugs as JSON for the locustfile.
"""

from __future__ import annotations

import json
import os
from datetime import time

import django
from django.utils import timezone

django.setup()

from allauth.account.models import EmailAddress  # noqa: E402

from accounts.models import User  # noqa: E402
from bookings.services import scheduling_policy_update, weekly_hours_replace  # noqa: E402
from core.money import Money  # noqa: E402
from learning.models import LearnerProfile  # noqa: E402
from marketplace.models import ExpertIndexPage, ExpertPage  # noqa: E402
from marketplace.services import expert_profile_create, session_type_create  # noqa: E402

PASSWORD = "load-password-not-secret-42"  # noqa: S105 (throw-away accounts on loopback)
EXPERTS = 20
LEARNERS = int(os.environ.get("LOAD_LEARNERS", "200"))


def main() -> None:
    index = ExpertIndexPage.objects.first()
    pages = []
    for number in range(EXPERTS):
        email = f"load-expert-{number}@example.com"
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email=email, password=None, full_name=f"Load Expert {number}")
            profile = expert_profile_create(
                user=user, index_page=index, headline="Load-test expert", currency="EUR", time_zone="UTC"
            )
            session_type_create(profile=profile, duration_minutes=30, price=Money.from_major("50", "EUR"))
            weekly_hours_replace(profile=profile, windows=[(day, time(0), time(23, 30)) for day in range(7)])
            scheduling_policy_update(
                profile=profile, min_notice_hours=0, horizon_days=120, buffer_minutes=0, slot_step_minutes=30
            )
        page = ExpertPage.objects.filter(profile=user.expert_profile).live().first()
        pages.append({"id": page.id, "url": page.url})
    for number in range(LEARNERS):
        email = f"load-learner-{number}@example.com"
        user = User.objects.filter(email=email).first() or User.objects.create_user(
            email=email, password=PASSWORD, full_name=f"Load Learner {number}", time_zone="UTC"
        )
        # Onboarded: sign-in lands on the dashboard, not /onboarding/.
        LearnerProfile.objects.update_or_create(user=user, defaults={"onboarding_finished_at": timezone.now()})
        EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    print(json.dumps({"experts": pages, "learners": LEARNERS, "password": PASSWORD}))


if __name__ == "__main__":
    main()
