"""Demo accounts: a learner, an expert and a staff member."""

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.sites.models import Site

from accounts.models import User

from .base import Log, Tally, is_seeding_for_production

# Listed in the README. Demo-only credentials: never reuse them anywhere real.
DEMO_PASSWORD = "taptime-demo-2026"
DEMO_ACCOUNTS = [
    {"email": "learner@taptime.example", "full_name": "Lena Learner", "time_zone": "Europe/Berlin"},
    {"email": "expert@taptime.example", "full_name": "Ezra Expert", "time_zone": "America/New_York", "is_expert": True},
    {
        "email": "staff@taptime.example",
        "full_name": "Sam Staff",
        "time_zone": "UTC",
        "is_staff": True,
        "is_superuser": True,
    },
]


def seed(*, log: Log) -> str:
    tally = Tally()
    host = settings.WAGTAILADMIN_BASE_URL.split("://", 1)[-1].rstrip("/")
    site, _ = Site.objects.get_or_create(pk=settings.SITE_ID, defaults={"domain": host, "name": "TapTime"})
    if (site.domain, site.name) != (host, "TapTime"):
        site.domain, site.name = host, "TapTime"
        site.save()
    for spec in DEMO_ACCOUNTS:
        defaults = {key: value for key, value in spec.items() if key != "email"}
        user = User.objects.filter(email=spec["email"]).first()
        created = user is None
        if created:
            privileged = spec.get("is_staff") or spec.get("is_superuser")
            if privileged and is_seeding_for_production():
                # Never a superuser with a published password on a real server.
                user = User.objects.create_user(password=None, **spec)
                log(f"created {spec['email']} without a password: set one with manage.py changepassword")
            else:
                user = User.objects.create_user(password=DEMO_PASSWORD, **spec)
                log(f"created {spec['email']}")
        else:
            changed = [key for key, value in defaults.items() if getattr(user, key) != value]
            if changed:
                for key in changed:
                    setattr(user, key, defaults[key])
                user.save(update_fields=changed)
        tally.add("accounts", created)
        EmailAddress.objects.get_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
    return tally.summary()
