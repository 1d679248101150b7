"""Security battery: XSS payloads in every field a learner or expert can edit, rendered in headless Chromium.

Each round writes a handful of payloads into the learner's and the expert's
names, the expert page's title, headline, bio, credentials, skills and links, the
booking's goals note, a contact-form message, and an expert application's answers, document
title, reviewer message and history, then opens every page and email
that shows them, as the person who would see it. Chromium runs with the
Content-Security-Policy bypassed, so the test checks our escaping, not the CSP
that stands behind it. A ``dialog`` listener fails the test on any alert, and
each page is searched for elements, attributes and URLs a payload would have made.
"""

from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.core import mail
from django.test import Client
from taggit.models import Tag
from wagtail.contrib.forms.models import FormSubmission

from accounts.models import User
from accounts.tasks import send_welcome_email
from bookings.models import Booking
from bookings.services.emails import ROLES, booking_cancellation_email_send, booking_confirmation_email_send
from marketplace.models import ApplicationEvent, ExpertApplication, ExpertPage, SessionType
from marketplace.models.pages import ExpertPageSkill
from marketplace.services.application_emails import application_email_deliver
from tests.browser import chromium_page, live_server_in_test_transaction
from tests.builders import booking_in_state, held_booking, paid_booking
from tests.marketplace.application_factories import make_application
from tests.marketplace.factories import make_ada, make_category, next_monday_nine_berlin

pytestmark = [pytest.mark.security, pytest.mark.e2e, pytest.mark.django_db]

# Servers on this machine must use ports 8101-8199; this battery takes the first free one of 8191-8199.
LIVE_PORTS = range(8191, 8200)

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    "<svg onload=alert(3)>",
    "<svg><script>alert(4)</script></svg>",
    '"><script>alert(5)</script>',
    "'><img src=x onerror=alert(6)>",
    '" autofocus onfocus="alert(7)',
    "' autofocus onfocus='alert(8)",
    '" onmouseover="alert(9)" data-xss="',
    "</title><script>alert(10)</script>",
    "</textarea><script>alert(11)</script>",
    "</script><script>alert(12)</script>",
    '</script><img src=x onerror=alert(13)>{"@context":"x"}',
    '<iframe srcdoc="<script>parent.alert(14)</script>">',
    '<a href="javascript:alert(15)" data-xss>x</a>',
    "javascript:alert(16)",
    "<details open ontoggle=alert(17)>",
    "<body onload=alert(18)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(19)>",
    "<input autofocus onfocus=alert(20)>",
    '<object data="javascript:alert(21)">',
    '<embed src="javascript:alert(22)">',
    "{{7*7}}{% debug %}<script>alert(23)</script>",
    "<scr<script>ipt>alert(24)</script>",
    "<SCRIPT SRC=data:text/javascript,alert(25)></SCRIPT>",
    '<img src="x" onerror="&#97;lert(26)">',
    '<a href="&#106;avascript:alert(27)" data-xss>x</a>',
    "\u202e<img src=x onerror=alert(28)>",
    "\uff1cscript\uff1ealert(29)\uff1c/script\uff1e",
    '<noscript><p title="</noscript><img src=x onerror=alert(30)>">',
    "\\u003cimg src=x onerror=alert(31)\\u003e",
    "<base href=//evil.example/><a data-xss onclick=alert(32)>",
]

# What a payload would leave behind if it got through, searched in each page after it loads.
FIND_INJECTIONS = """(allowInlineScripts) => {
  const found = [];
  const selector = "[data-xss], [onerror], [onload], [onfocus], [onmouseover], [ontoggle], iframe[srcdoc], object, embed, base";
  document.querySelectorAll(selector).forEach((e) => found.push("element: " + e.outerHTML.slice(0, 120)));
  document.querySelectorAll("a[href], iframe[src], form[action]").forEach((e) => {
    const url = e.getAttribute("href") || e.getAttribute("src") || e.getAttribute("action") || "";
    if (/^[\\s\\u0000-\\u001f]*(javascript|data|vbscript):/i.test(url)) found.push("url: " + url.slice(0, 80));
  });
  document.querySelectorAll("script").forEach((s) => {
    if (s.type === "application/ld+json" || s.type === "application/json") {
      try { JSON.parse(s.textContent); } catch (error) { found.push("json: " + s.textContent.slice(0, 80)); }
    } else if (!s.src && !allowInlineScripts) {
      found.push("inline script: " + s.textContent.slice(0, 80));
    }
  });
  return found;
}"""


def _rounds(payloads, width=140):
    """Payloads grouped so each group fits the shortest field it goes into (a 140-character headline)."""
    rounds, current = [], ""
    for payload in payloads:
        candidate = f"{current} {payload}".strip()
        if len(candidate) > width and current:
            rounds.append(current)
            candidate = payload
        current = candidate
    return [*rounds, current]


@pytest.fixture
def world(expert_index, stripe_server, learner, staff_user, site_tree):
    ada = make_ada(expert_index)
    session_type = SessionType.objects.get(profile=ada)
    monday = next_monday_nine_berlin()
    paid = paid_booking(learner=learner, session_type=session_type, start=monday)
    held = held_booking(learner=learner, session_type=session_type, start=monday + timedelta(hours=1))
    cancelled = booking_in_state(
        learner=learner,
        expert=ada.user,
        start=monday + timedelta(days=7),
        status=Booking.Status.CANCELLED_BY_LEARNER,
        cancelled_at=monday,
    )
    make_category("Data", "data")
    application = make_application(learner, status=ExpertApplication.Status.CHANGES_REQUESTED, documents=1)
    return {
        "ada": ada,
        "application": application,
        "page": ExpertPage.objects.get(profile=ada),
        "learner": learner,
        "staff": staff_user,
        "paid": paid,
        "held": held,
        "cancelled": cancelled,
        "contact": site_tree["contact"],
        "index": expert_index,
    }


def _seed(world, short: str) -> None:
    """Every editable field carries payloads: the short ones this round's group, the long ones all of them."""
    everything = "\n\n".join(PAYLOADS)
    User.objects.filter(pk__in=[world["learner"].pk, world["ada"].user_id]).update(full_name=short[:150])
    ExpertPage.objects.filter(pk=world["page"].pk).update(
        title=short,
        draft_title=short,
        headline=short[:140],
        bio=everything,
        credentials="\n".join(PAYLOADS),
        # Forms refuse these; a row written another way (import, old data) must still render safely.
        website_url="javascript:alert(40)",
        linkedin_url='https://linkedin.example/"onmouseover="alert(41)"data-xss="',
        github_url="JaVaScRiPt:alert(42)",
        intro_video_url=" javascript:alert(43)",
    )
    ExpertPageSkill.objects.filter(content_object_id=world["page"].pk).delete()
    for name in (short[:100], "<img src=x onerror=alert(44)>"):
        tag, _ = Tag.objects.get_or_create(name=name, defaults={"slug": f"xss-{Tag.objects.count()}"})
        ExpertPageSkill.objects.create(content_object_id=world["page"].pk, tag=tag)
    Booking.objects.filter(pk__in=[world["paid"].pk, world["held"].pk, world["cancelled"].pk]).update(
        goals_note=everything
    )
    FormSubmission.objects.create(
        page=world["contact"], form_data={"your_name": short, "email": "x@example.com", "message": everything}
    )
    # The learner's expert application: every answer, a document title, the reviewer's message and the history.
    application = world["application"]
    ExpertApplication.objects.filter(pk=application.pk).update(
        headline=short[:120],
        bio=everything,
        skills=[short[:60], "<img src=x onerror=alert(45)>"],
        links=list(PAYLOADS[:5]),
        decision_message=everything,
    )
    application.documents.update(title=short[:120])
    ApplicationEvent.objects.filter(application=application).delete()
    ApplicationEvent.objects.create(application=application, kind=ApplicationEvent.Kind.ANSWERED, message=everything)


def _session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


@pytest.fixture
def live_site(world, monkeypatch):
    with live_server_in_test_transaction(LIVE_PORTS, monkeypatch) as url:
        yield url


def test_no_payload_runs_on_any_page_or_email(world, live_site, monkeypatch, django_capture_on_commit_callbacks):
    cookies = {
        "learner": _session_cookie(world["learner"]),
        "expert": _session_cookie(world["ada"].user),
        "staff": _session_cookie(world["staff"]),
    }
    paid, held = world["paid"].pk, world["held"].pk
    pages = [
        (None, world["page"].url),
        (None, world["index"].url),
        ("learner", "/"),  # the header shows the signed-in name
        ("learner", "/dashboard/"),
        ("learner", f"/bookings/{paid}/"),
        ("learner", f"/bookings/{held}/review/"),
        ("learner", f"/bookings/{paid}/cancel/"),
        ("learner", "/accounts/settings/"),
        ("expert", "/expert/"),
        ("expert", f"/bookings/{paid}/"),
        ("expert", "/expert/profile/"),
        ("learner", "/join/apply/about/"),
        ("learner", "/join/apply/expertise/"),
        ("learner", "/join/apply/credentials/"),
        ("learner", "/join/apply/review/"),
        ("learner", "/join/application/"),
        ("staff", f"/admin/forms/submissions/{world['contact'].pk}/"),
        ("staff", "/admin/users/"),
        ("staff", f"/admin/pages/{world['page'].pk}/edit/"),
    ]
    with chromium_page(monkeypatch, bypass_csp=True) as page:
        dialogs = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

        # Control: an unescaped payload is caught by both the listener and the search.
        page.set_content("<img src=x onerror=alert('control')>")
        page.wait_for_timeout(200)
        assert dialogs == ["control"]
        assert page.evaluate(FIND_INJECTIONS, False) != []
        dialogs.clear()

        for short in _rounds(PAYLOADS):
            _seed(world, short)
            seen = [
                (None, f"/search/?{urlencode({'q': short})}"),
                (None, f"{world['index'].url}?{urlencode({'q': short})}"),
                *pages,
            ]
            for role, path in seen:
                page.context.clear_cookies()
                if role:
                    page.context.add_cookies([{"name": "sessionid", "value": cookies[role], "url": live_site}])
                response = page.goto(live_site + path)
                assert response.status < 500, (path, response.status)
                page.wait_for_load_state("load")
                admin = path.startswith("/admin/")
                # The payloads did reach the page (as text), so the search below is not vacuous.
                assert "alert(" in page.content(), (path, "shows none of the payloads")
                assert page.evaluate(FIND_INJECTIONS, admin) == [], (path, short)
                assert dialogs == [], (path, short)

            mail.outbox.clear()
            with django_capture_on_commit_callbacks(execute=True):
                for role in ROLES:  # one email per participant, as the outbox sends them
                    booking_confirmation_email_send(booking_id=paid, role=role)
                    booking_cancellation_email_send(booking_id=world["cancelled"].pk, role=role)
                send_welcome_email(world["learner"].pk)
                application_email_deliver(
                    application_id=world["application"].pk, template="application_changes_requested"
                )
            assert len(mail.outbox) == 6
            for message in mail.outbox:
                assert "\n" not in message.subject
                page.set_content(message.alternatives[0][0])
                page.wait_for_timeout(50)
                # The booking emails carry names and the goals note; the welcome only the first name.
                shown = (
                    User.objects.get(pk=world["learner"].pk).first_name if "Welcome" in message.subject else "alert("
                )
                assert shown in page.inner_text("body"), (message.subject, "shows none of the payloads")
                assert page.evaluate(FIND_INJECTIONS, False) == [], (message.subject, short)
                assert dialogs == [], (message.subject, short)
