"""Staff announcements: written in the admin, shown on dashboards to their audience behind the
``announcements`` flag until dismissed (a plain form POST), hostile text escaped, and emailed once per
person who accepts news, in their language, with an unsubscribe that is honoured."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from waffle.models import Flag

from notifications.announcements import announcement_email_batch, announcements_email_due, announcements_for
from notifications.marketing import marketing_opt_in_set, marketing_unsubscribe_user_id
from notifications.models import Announcement, AnnouncementDismissal, AnnouncementEmail
from tests.builders import onboarded
from tests.factories import ExpertUserFactory, UserFactory
from tests.marketplace.factories import make_category, make_expert

pytestmark = pytest.mark.django_db

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def everyone_flag(db):
    Flag.objects.update_or_create(name="announcements", defaults={"everyone": True})


def announce(**fields):
    defaults = {"title": "Maintenance on Sunday", "body": "We are down\nfor an hour.", "audience": "everyone"}
    return Announcement.objects.create(**{**defaults, **fields})


def test_audiences_windows_and_dismissals():
    learner, expert = UserFactory(), ExpertUserFactory()
    everyone = announce()
    for_learners = announce(title="Learners", audience="learners")
    for_experts = announce(title="Experts", audience="experts")
    announce(title="Later", starts_at=timezone.now() + timedelta(days=1))
    announce(title="Over", starts_at=timezone.now() - timedelta(days=2), ends_at=timezone.now() - timedelta(days=1))
    assert {a.pk for a in announcements_for(user=learner)} == {everyone.pk, for_learners.pk}
    assert {a.pk for a in announcements_for(user=expert)} == {everyone.pk, for_experts.pk}
    AnnouncementDismissal.objects.create(announcement=everyone, user=learner)
    assert {a.pk for a in announcements_for(user=learner)} == {for_learners.pk}


def test_a_categorys_experts(expert_index):
    design, data = make_category("Design", "design"), make_category("Data", "data")
    designer = make_expert(expert_index, name="Dana Designer", categories=[design]).user
    other_expert = ExpertUserFactory()
    for_design = announce(audience="category", category_id=design.pk)
    announce(title="Data people", audience="category", category_id=data.pk)
    assert [a.pk for a in announcements_for(user=designer)] == [for_design.pk]
    assert announcements_for(user=other_expert) == []


def test_the_dashboard_shows_it_escaped_behind_the_flag_and_dismisses_it(client):
    learner = onboarded(UserFactory())
    announcement = announce(title=HOSTILE, body=f"Line one\n{HOSTILE}")
    client.force_login(learner)
    assert "Line one" not in client.get("/dashboard/").content.decode()  # flag on for staff only
    Flag.objects.filter(name="announcements").update(everyone=True)
    cache.clear()  # what waffle does after a flag is saved in the admin
    html = client.get("/dashboard/").content.decode()
    assert "Line one<br>" in html and "<script>alert" not in html and "&lt;script&gt;" in html
    url = f"/announcements/{announcement.pk}/dismiss/"
    assert client.get(url).status_code == 405
    response = client.post(url, {"next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == "/dashboard/"
    assert AnnouncementDismissal.objects.filter(user=learner).count() == 1
    assert client.post(url, {"next": "/dashboard/?page=2"}).status_code == 302  # twice: still one row
    assert AnnouncementDismissal.objects.filter(user=learner).count() == 1
    assert "Line one" not in client.get("/dashboard/").content.decode()


def test_dismissing_what_you_cannot_see_is_a_404(client, everyone_flag):
    learner = UserFactory()
    for_experts = announce(audience="experts")
    later = announce(starts_at=timezone.now() + timedelta(days=1))
    client.force_login(learner)
    for pk in (for_experts.pk, later.pk, 999_999, 2**40):
        assert client.post(f"/announcements/{pk}/dismiss/").status_code == 404
    assert not AnnouncementDismissal.objects.exists()
    client.logout()
    assert client.post(f"/announcements/{for_experts.pk}/dismiss/").status_code == 302  # to sign-in


def test_the_dashboard_reads_announcements_in_constant_queries(client, everyone_flag):
    learner = onboarded(UserFactory())
    client.force_login(learner)
    client.get("/dashboard/")  # warm the flag cache

    def count(n):
        for i in range(n):
            announce(title=f"News {n}-{i}")
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/dashboard/").status_code == 200
        return len(queries)

    assert count(1) == count(12)


def test_emailed_once_per_opted_in_person_in_their_language_with_unsubscribe(client):
    german = UserFactory(preferred_language="de")
    english = UserFactory(preferred_language="en")
    silent = UserFactory()
    suspended = UserFactory(is_active=False)
    for user in (german, english, suspended):
        marketing_opt_in_set(user=user, opted_in=True)
    announcement = announce(title=HOSTILE, send_email=True)
    announce(title="Not emailed")

    sent, finished = announcement_email_batch(announcement_id=announcement.pk, batch_size=1)
    assert (sent, finished) == (1, False)
    assert announcements_email_due() == 1  # the rest, then finished
    assert announcements_email_due() == 0  # never twice
    assert sorted(m.to[0] for m in mail.outbox) == sorted([german.email, english.email])
    assert silent.email not in str([m.to for m in mail.outbox]) and suspended.email not in str(
        [m.to for m in mail.outbox]
    )
    by_address = {message.to[0]: message for message in mail.outbox}
    german_mail = by_address[german.email]
    assert "Hallo" in german_mail.body and "Dein TapTime-Team" in german_mail.body
    assert "Hi " in by_address[english.email].body and "The TapTime team" in by_address[english.email].body
    html = german_mail.alternatives[0][0]
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    assert german_mail.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    Announcement.objects.filter(pk=announcement.pk).update(emailed_at=None)  # even if asked again
    assert announcements_email_due() == 0
    assert AnnouncementEmail.objects.count() == 2

    unsubscribe = re.search(r"<([^>]+)>", german_mail.extra_headers["List-Unsubscribe"]).group(1)
    # The token is signed with a timestamp, so compare whom it names, not its text.
    assert marketing_unsubscribe_user_id(token=unsubscribe.rstrip("/").rsplit("/", 1)[-1]) == german.pk
    client.post(unsubscribe.replace("http://testserver", ""), {"List-Unsubscribe": "One-Click"})
    mail.outbox.clear()
    second = announce(title="Second", send_email=True)
    assert announcements_email_due() == 1
    assert [m.to for m in mail.outbox] == [[english.email]]
    assert AnnouncementEmail.objects.filter(announcement=second).count() == 1


def test_not_emailed_before_it_starts():
    marketing_opt_in_set(user=UserFactory(), opted_in=True)
    announce(send_email=True, starts_at=timezone.now() + timedelta(hours=1))
    assert announcements_email_due() == 0 and not mail.outbox


def test_administrators_write_one_in_the_admin_with_wrong_inputs_refused(client):
    call_command("ops_groups", stdout=open("/dev/null", "w"))  # noqa: SIM115
    admin = UserFactory(is_staff=True)
    admin.groups.add(Group.objects.get(name="Administrators"))
    client.force_login(admin)
    now = timezone.now()
    form = {
        "title": "Hello",
        "body": "Body",
        "audience": "category",
        "category_id": "",
        "starts_at": now.strftime("%Y-%m-%d %H:%M"),
        "ends_at": (now - timedelta(days=1)).strftime("%Y-%m-%d %H:%M"),
    }
    assert client.post("/admin/announcements/new/", form).status_code == 200
    assert client.post("/admin/announcements/new/", {**form, "category_id": "abc"}).status_code == 200
    assert not Announcement.objects.exists()
    response = client.post("/admin/announcements/new/", {**form, "audience": "everyone", "ends_at": ""})
    assert response.status_code == 302
    created = Announcement.objects.get()
    assert created.created_by == admin and created.category_id is None
    support = UserFactory(is_staff=True)
    support.groups.add(Group.objects.get(name="Support"))
    client.force_login(support)
    assert client.get("/admin/announcements/").status_code in (302, 403)
