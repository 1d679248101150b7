"""Demo reviewer: a staff member who may only review expert applications (the "Expert reviewers" group)."""

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from accounts.models import User

from .accounts import DEMO_PASSWORD
from .base import Log, Tally, is_seeding_for_production

REVIEWER = {"email": "reviewer@taptime.example", "full_name": "Rita Reviewer", "time_zone": "Europe/Berlin"}
GROUP = "Expert reviewers"  # made by marketplace migration 0005


def seed(*, log: Log) -> str:
    tally = Tally()
    user = User.objects.filter(email=REVIEWER["email"]).first()
    created = user is None
    if created:
        # Never an admin account with a published password on a real server.
        password = None if is_seeding_for_production() else DEMO_PASSWORD
        user = User.objects.create_user(password=password, is_staff=True, **REVIEWER)
        log(f"created {REVIEWER['email']}" + (" without a password" if password is None else ""))
    tally.add("reviewers", created)
    user.groups.add(Group.objects.get(name=GROUP))
    EmailAddress.objects.get_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
    return tally.summary()
