import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.core.management import CommandError, call_command
from wagtail.blocks import StreamValue
from wagtail.models import Page, Site

from accounts.models import User
from demo import accounts as demo_accounts
from demo.accounts import DEMO_PASSWORD
from demo.base import seeding_for_production

pytestmark = pytest.mark.slow


def _comparable(value):
    # A StreamField value's repr shows object addresses; compare its stored form instead.
    if isinstance(value, StreamValue):
        return value.get_prep_value()
    return value


def snapshot():
    """Every row of every table, as comparable data."""
    state = {}
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        rows = (tuple(map(_comparable, row)) for row in model.objects.values_list())
        state[model._meta.label] = sorted(map(repr, rows))
    return state


@pytest.mark.django_db
def test_seed_demo_builds_the_demo_and_a_second_run_changes_nothing(capsys):
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert "[1/" in out and "Demo ready" in out

    for email, home in [
        ("learner@taptime.example", "/dashboard/"),
        ("expert@taptime.example", "/expert/"),
        ("staff@taptime.example", "/admin/"),
    ]:
        user = User.objects.get(email=email)
        assert user.check_password(DEMO_PASSWORD)
        assert user.home_url == home
        assert EmailAddress.objects.get(user=user).verified
    site = Site.objects.get(is_default_site=True)
    assert site.root_page.specific.__class__.__name__ == "HomePage"
    assert Page.objects.live().filter(slug="home").count() == 1

    # The demo learner and the demo expert have past and upcoming sessions, each paid (fake
    # demo PaymentIntent ids, no Stripe call) and booked in a balanced ledger.
    from billing.models import Payment
    from billing.selectors import ledger_totals_by_currency
    from bookings.models import Booking

    sessions = Booking.objects.filter(
        learner__email="learner@taptime.example", expert__email="expert@taptime.example"
    ).exclude(goals_note__startswith="Demo learning:")  # the learning history (demo.learning), unpaid
    sessions = sessions.filter(credit_total__isnull=True)  # the package's sessions: below
    assert sorted(sessions.values_list("status", flat=True)) == ["completed", "completed", "confirmed", "confirmed"]
    assert all(booking.video_url.startswith("https://") for booking in sessions)
    payments = Payment.objects.filter(booking__in=sessions)
    assert payments.count() == 4 and all(p.stripe_payment_intent_id.startswith("pi_demo_") for p in payments)
    assert set(ledger_totals_by_currency().values()) == {0}

    # Lena's package with Ezra: 2 of 5 used; Ezra's simulated payout account, a pending and an
    # available balance, one paid and one waiting withdrawal (demo.billing_packages).
    from billing.models import PackagePurchase, PayoutAccount, Withdrawal
    from billing.selectors import expert_balances

    purchase = PackagePurchase.objects.get(learner__email="learner@taptime.example")
    assert purchase.status == "paid" and purchase.sessions_count == 5
    assert sorted(purchase.credits.values_list("status", flat=True)) == ["available"] * 3 + ["used"] * 2
    ezra = User.objects.get(email="expert@taptime.example")
    assert PayoutAccount.objects.get(expert=ezra).ready
    (balances,) = expert_balances(expert=ezra)
    assert balances.pending > 0 and balances.available > 0 and balances.paid_out == 3000
    assert sorted(Withdrawal.objects.filter(expert=ezra).values_list("status", flat=True)) == ["paid", "requested"]

    # The last marketplace step computes every demo expert's next free time, once.
    from marketplace.models import ExpertProfile

    assert ExpertProfile.objects.filter(next_available_at__isnull=False).count() == 60
    # No invented figures: every rating is the average of the published reviews behind it, and
    # sessions completed are the real bookings (the demo expert's, the reviewed ones of ten others).
    from django.db.models import Count

    from reviews.models import SessionReview

    reviewed = dict(
        SessionReview.objects.public().values_list("profile_id").annotate(n=Count("id")).values_list("profile_id", "n")
    )
    assert len(reviewed) == 11
    assert dict(ExpertProfile.objects.exclude(rating_count=0).values_list("pk", "rating_count")) == reviewed
    demo_expert = ExpertProfile.objects.get(user__email="expert@taptime.example")
    # Two demo sessions, the two of the learner's package and the six earlier ones of the learner's
    # progress history (demo.learning).
    assert (demo_expert.sessions_completed, demo_expert.rating_count, str(demo_expert.rating_avg)) == (10, 1, "5.00")
    from learning.models import Goal, LearnerProfile

    assert LearnerProfile.objects.get(user__email="learner@taptime.example").onboarding_finished_at is not None
    assert Goal.objects.filter(learner__email="learner@taptime.example").count() == 2
    for profile in ExpertProfile.objects.exclude(pk=demo_expert.pk).filter(sessions_completed__gt=0):
        assert profile.sessions_completed == reviewed[profile.pk]
    # The demo learner's newer completed session waits for a review.
    assert SessionReview.objects.filter(learner__email="learner@taptime.example").count() == 1
    # The Sites domain (named in allauth's mails) is the public address's.
    from django.contrib.sites.models import Site as SitesSite

    assert SitesSite.objects.get_current().domain == "testserver"

    before = snapshot()
    call_command("seed_demo")
    assert snapshot() == before


@pytest.mark.django_db
def test_production_settings_refuse_to_seed_without_the_flag(monkeypatch):
    # Production settings do not install the demo app; seeding there is refused before anything is written.
    real = apps.is_installed
    monkeypatch.setattr(apps, "is_installed", lambda name: False if name == "demo" else real(name))
    with pytest.raises(CommandError, match="--allow-production"):
        call_command("seed_demo")
    assert not User.objects.exists()


@pytest.mark.django_db
def test_a_production_seed_never_creates_a_superuser_with_the_published_password():
    lines = []
    with seeding_for_production(True):
        demo_accounts.seed(log=lines.append)
    staff = User.objects.get(email="staff@taptime.example")
    assert staff.is_superuser and not staff.has_usable_password()
    assert any("changepassword" in line for line in lines)
    # The learner and the expert of a sales demo keep the README's password.
    assert User.objects.get(email="learner@taptime.example").check_password(DEMO_PASSWORD)
