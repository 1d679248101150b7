"""Consent: the marketing opt-in, one-click unsubscribe (RFC 8058), the footer's cookie settings, sign-up links."""

import pytest
from django.core import mail

from cms_pages.models import SiteSettings
from notifications.marketing import (
    marketing_email_send,
    marketing_opt_in_set,
    marketing_unsubscribe_token,
)
from notifications.models import NotificationPreference

pytestmark = pytest.mark.django_db


def test_marketing_email_is_off_until_the_person_opts_in(client, learner):
    assert marketing_email_send(user=learner, template="welcome", context={"user": learner}) is False
    client.force_login(learner)
    assert 'name="marketing_email"' in client.get("/accounts/privacy/").content.decode()
    client.post("/accounts/privacy/consent/", {"marketing_email": "on"})
    chosen = NotificationPreference.objects.get(user=learner)
    assert chosen.marketing_email and chosen.marketing_email_changed_at is not None
    client.post("/accounts/privacy/consent/", {})
    assert not NotificationPreference.objects.get(user=learner).marketing_email


def test_every_marketing_email_carries_one_click_unsubscribe(client, learner):
    marketing_opt_in_set(user=learner, opted_in=True)
    assert marketing_email_send(user=learner, template="welcome", context={"user": learner})
    message = mail.outbox[-1]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert url.startswith("http://testserver/accounts/unsubscribe/")
    path = url.removeprefix("http://testserver")

    # A mail client's one-click POST: no session, no CSRF token.
    csrf_client = client.__class__(enforce_csrf_checks=True)
    assert csrf_client.get(path).status_code == 200  # a link scanner's GET changes nothing
    assert NotificationPreference.objects.get(user=learner).marketing_email
    response = csrf_client.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not NotificationPreference.objects.get(user=learner).marketing_email
    assert marketing_email_send(user=learner, template="welcome", context={"user": learner}) is False


def test_a_forged_or_mangled_token_is_a_404(client, learner):
    marketing_opt_in_set(user=learner, opted_in=True)
    token = marketing_unsubscribe_token(user_id=learner.pk)
    for bad in ("nonsense", token[:-2] + "xx", token.upper()):
        assert client.post(f"/accounts/unsubscribe/{bad}/").status_code == 404
    assert NotificationPreference.objects.get(user=learner).marketing_email


def test_the_other_privacy_posts_keep_their_csrf_check(learner):
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(learner)
    for path in ("/accounts/privacy/export/", "/accounts/privacy/erase/", "/accounts/privacy/consent/"):
        assert csrf_client.post(path).status_code == 403


def test_the_footer_offers_cookie_settings_when_analytics_are_on(client, home_page):
    conf = SiteSettings.for_site(home_page.get_site())
    conf.analytics_enabled = True
    conf.analytics_script_url = "https://plausible.io/js/script.js"
    conf.analytics_domain = "taptime.example"
    conf.save()
    page = client.get("/").content.decode()
    assert "data-consent-reopen" in page and "Cookie settings" in page
    conf.analytics_enabled = False
    conf.save()
    assert "data-consent-reopen" not in client.get("/").content.decode()


def test_sign_up_links_the_terms_and_the_privacy_notice(client, site_tree):
    from cms_pages.models import StandardPage

    home = site_tree["home"]
    for slug, title in (("terms", "Terms of service"), ("privacy", "Privacy policy")):
        page = StandardPage(title=title, slug=slug)
        home.add_child(instance=page)
        page.save_revision().publish()
    page = client.get("/accounts/signup/").content.decode()
    assert 'href="/terms/"' in page and 'href="/privacy/"' in page
    assert "terms of service" not in client.get("/accounts/login/").content.decode()
