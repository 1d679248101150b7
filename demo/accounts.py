"""Demo accounts: a learner, an expert and a staff member."""

from allauth.account.models import EmailAddress

from accounts.models import User
from core.sites import site_domain_sync

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
    # allauth's mails name the Sites domain; migrate keeps it on BASE_URL too.
    site_domain_sync()
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
