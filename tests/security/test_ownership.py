"""Security battery: every URL that takes an id, a key or a slug, requested by its owner and by everyone else.

The routes come from Django's resolver, so a new one fails
``test_every_route_with_an_argument_is_covered`` until it is added to one of
the tables below: an owned object (swept as the owner, another learner, an
unrelated expert and anonymous, GET and POST, with nothing changed by anyone but
the owner), a public object, a secret key, or an exemption with its reason.
"""

import re
import uuid
from datetime import timedelta
from functools import partial

import pytest
from allauth.account.models import EmailAddress
from allauth.usersessions.models import UserSession
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import ApiToken
from accounts.services import api_token_create
from api.models import WebhookDelivery, WebhookEndpoint
from api.webhooks import webhook_endpoint_create
from billing.models import LedgerEntry, PackagePurchase, Payment
from bookings.calendars import Tokens
from bookings.models import (
    AttendanceEvent,
    Booking,
    ConnectedCalendar,
    ExpertCalendar,
    Message,
    MessageReport,
    QuestionnaireAnswer,
    Recording,
    RecordingConsent,
    SessionDecision,
    SessionNote,
    SessionReport,
    SessionResource,
    Thread,
)
from bookings.services.calendar_feed import calendar_feed_regenerate
from bookings.services.connected_calendars import connected_calendar_save
from bookings.services.messages import message_send, thread_for_booking
from bookings.services.resources import session_resource_add_file
from learning.models import Goal, LearningLink, Milestone
from learning.services import goal_create, milestone_add
from marketplace.models import (
    ApplicationDocument,
    ExpertApplication,
    ExpertProfile,
    IntakeQuestion,
    Package,
    SessionType,
)
from marketplace.services.questionnaire import intake_questions_replace
from reviews.models import ReviewReport, SessionReview
from tests.builders import bookable_expert, held_booking, paid_booking
from tests.factories import PASSWORD, UserFactory
from tests.marketplace.application_factories import make_application
from tests.marketplace.factories import add_package, image_bytes, make_ada, next_monday_nine_berlin
from tests.reviews.helpers import completed_session, published_review

from .routes import all_routes

pytestmark = [pytest.mark.security, pytest.mark.django_db]

# Owned objects: route name -> (which object of the world, who owns it, the methods the view
# takes, and whether it refuses other methods before ("outer") or after ("inner") asking who you are).
BOTH = frozenset({"GET", "POST"})
OWNED = {
    "booking_review": ("held", "learner", BOTH, "outer"),
    "booking_use_credit": ("held", "learner", frozenset({"POST"}), "outer"),
    "package_purchase": ("purchase", "learner", BOTH, "outer"),
    "package_purchase_paid": ("purchase", "learner", frozenset({"GET"}), "outer"),
    "booking_paid": ("held", "learner", frozenset({"GET"}), "outer"),
    "booking_rehold": ("held", "learner", frozenset({"POST"}), "outer"),
    "booking_cancel": ("paid", "learner", BOTH, "outer"),
    "booking_receipt": ("paid", "learner", frozenset({"GET"}), "outer"),
    # The booking's expert, reached through the booking (404 for everyone else, like the learner's routes).
    "booking_cancel_by_expert": ("paid", "booking_expert", BOTH, "outer"),
    "booking_detail": ("paid", "learner", BOTH, "outer"),
    "booking_reschedule": ("paid", "learner", BOTH, "outer"),
    "booking_proposal": ("paid", "learner", BOTH, "outer"),
    "booking_propose_time": ("paid", "booking_expert", BOTH, "outer"),
    "booking_join": ("paid", "learner", BOTH, "outer"),
    # Session tools: the learner's goals and answers, each side's private note, the expert's shared
    # note and resources; a resource file reaches both participants (here: the learner).
    "booking_goals": ("paid", "learner", BOTH, "outer"),
    "booking_questionnaire": ("paid", "learner", BOTH, "outer"),
    "booking_note_private": ("paid", "learner", BOTH, "outer"),
    "booking_note_shared": ("paid", "booking_expert", BOTH, "outer"),
    "booking_resources": ("paid", "booking_expert", BOTH, "outer"),
    "session_resource_delete": ("resource", "booking_expert", frozenset({"POST"}), "outer"),
    "session_resource_file": ("resource", "learner", frozenset({"GET"}), "outer"),
    # Either participant may report a past session; everyone else gets the unknown id's 404.
    "booking_report": ("paid", "learner", BOTH, "outer"),
    "booking_recording_consent": ("paid", "learner", frozenset({"POST"}), "outer"),
    "booking_recording_upload": ("paid", "booking_expert", frozenset({"POST"}), "outer"),
    "recording_file": ("recording", "learner", frozenset({"GET"}), "outer"),
    "expert_session_type_edit": ("session_type", "expert", BOTH, "inner"),
    "expert_session_type_delete": ("session_type", "expert", frozenset({"POST"}), "inner"),
    "expert_package_edit": ("package", "expert", BOTH, "inner"),
    "expert_package_delete": ("package", "expert", frozenset({"POST"}), "inner"),
    "api_token_revoke": ("token", "learner", frozenset({"POST"}), "outer"),
    "expert_webhook_delete": ("webhook", "expert", frozenset({"POST"}), "outer"),
    "expert_calendar_remove": ("calendar", "expert", frozenset({"POST"}), "outer"),
    "expert_calendar_sync": ("calendar", "expert", frozenset({"POST"}), "outer"),
    "expert_webhook_replay": ("webhook_delivery", "expert", frozenset({"POST"}), "outer"),
    "application_document": ("application_document", "applicant", frozenset({"GET"}), "outer"),
    "application_photo": ("application", "applicant", frozenset({"GET"}), "outer"),
    "application_document_delete": ("application_document", "applicant", frozenset({"POST"}), "inner"),
    "booking_rate": ("completed", "learner", BOTH, "outer"),
    "expert_review_reply": ("review", "expert", frozenset({"POST"}), "outer"),
    "expert_review_report": ("review", "expert", frozenset({"POST"}), "outer"),
    "connected_calendar_disconnect": ("connected_calendar", "expert", frozenset({"POST"}), "inner"),
    # The learner's goals and milestones; the session's goal link (its learner) and suggestions (its expert).
    "learning_goal_edit": ("goal", "learner", BOTH, "outer"),
    "learning_milestone_add": ("goal", "learner", frozenset({"POST"}), "outer"),
    "learning_milestone_done": ("milestone", "learner", frozenset({"POST"}), "outer"),
    "learning_milestone_answer": ("milestone", "learner", frozenset({"POST"}), "outer"),
    "learning_booking_goal": ("paid", "learner", frozenset({"POST"}), "outer"),
    "booking_milestone_suggest": ("paid", "booking_expert", BOTH, "outer"),
    "connected_calendar_choose": ("connected_calendar", "expert", BOTH, "inner"),
    "account_session_end": ("user_session", "learner", frozenset({"POST"}), "outer"),
    # Messages: the thread's two people only (here: the learner); the booking's thread for either participant.
    "booking_messages": ("paid", "learner", frozenset({"GET"}), "outer"),
    "message_thread": ("thread", "learner", BOTH, "outer"),
    "message_thread_block": ("thread", "learner", frozenset({"POST"}), "outer"),
    "message_report": ("message", "learner", frozenset({"POST"}), "outer"),
    "message_attachment": ("message", "learner", frozenset({"GET"}), "outer"),
}
# The API's owned objects: route name -> (which object, who owns it, the methods it takes). Non-owners
# get the 404 problem an unknown id gets; anonymous callers a 401; a method the view lacks is a 405.
API_OWNED = {
    "api_booking": ("paid", "learner", frozenset({"GET"})),
    "api_booking_pay": ("held", "learner", BOTH),
    "api_booking_cancel": ("paid", "learner", BOTH),
    "api_booking_reschedule": ("paid", "learner", frozenset({"POST"})),
    # Both participants read the open proposal; only the learner answers (the expert's POST is a 404).
    "api_booking_proposal": ("paid", "learner", BOTH),
    "api_expert_session_propose": ("paid", "booking_expert", frozenset({"POST"})),
    "api_expert_session_cancel": ("paid", "booking_expert", BOTH),
    "api_booking_rating": ("completed", "learner", BOTH),
    "api_goal": ("goal", "learner", frozenset({"GET"})),
    "api_goal_milestones": ("goal", "learner", frozenset({"POST"})),
    "api_milestone": ("milestone", "learner", frozenset({"GET"})),
    "api_thread_messages": ("thread", "learner", BOTH),
}
# Private files answer 404 even to a visitor who is signed out: a login page would confirm the id exists.
ANONYMOUS_GETS_404 = {
    "application_document",
    "application_photo",
    "session_resource_file",
    "recording_file",
    "message_attachment",
}
# Public objects: any signed-in learner may use any live one.
PUBLIC = {"booking_start", "expert_question", "slot_fragment", "api_expert", "api_expert_slots", "api_expert_reviews"}
# The expert page's view beacon: anyone viewing a live page counts one view; it reveals nothing
# and an unknown or paused expert is a 404 (tests/learning/test_profile_views.py).
PUBLIC |= {"profile_viewed"}
# Any signed-in learner may buy any offered package (an unknown or inactive one is a 404, the expert's own
# is refused: tests/billing/packages/test_buying.py).
PUBLIC |= {"package_buy"}
# Secret keys: a made-up one changes nothing.
SECRET_KEYED = {"account_confirm_email", "account_reset_password_from_key", "staff_mfa_enrol_confirm", "calendar_feed"}
# Signed tokens: an export link also needs its owner signed in; a forged one is a 404
# (tests/accounts/test_privacy_export.py, test_privacy_consent.py).
SECRET_KEYED |= {"privacy_export_download", "marketing_unsubscribe"}
# Neither owned nor guessable in a way that matters, each for its reason.
EXEMPT = {
    "djstripe_webhook_by_uuid": "Stripe's deliveries, signature-checked per endpoint (tests/billing/test_webhooks.py)",
    "stripe/webhook/<uuid:uuid>/": "the same endpoint through our view (rate limit, trusted sender: tests/billing/views/test_stripe_webhook.py)",
    "api_expert_offering": "the API's session length, looked up in the caller's own profile: names no one else's",
    "api_expert_day_off": "the API's day off, looked up in the caller's own profile: names no one else's",
    "demo_calendar_file": "the demo's two public sample calendars (dev and test settings only): no one's object",
    "connected_calendar_connect": "a provider name, not an object: it starts connecting the signed-in expert's own calendar",
    "connected_calendar_callback": "a provider name, not an object: the state in the expert's own session decides (tests/bookings/calendars/test_connect.py)",
    "onboarding_step": "a step name, not an object: each step reads and writes the signed-in learner's own answers",
    "application_step": "a step name, not an object: each step reads the signed-in user's own application",
    "wagtail_serve": "public pages by path; drafts and restrictions in tests/core/test_page_restrictions.py",
    "wagtaildocs_serve": "public documents; Wagtail checks collection privacy itself",
    "wagtaildocs_authenticate_with_password": "Wagtail's password form for a document restriction: no one's object",
    "wagtailcore_authenticate_with_password": "Wagtail's password form for a page restriction: no one's object",
    "openid_connect_login": "a provider name (linkedin), not an object: unknown ones are a 404 (tests/accounts/test_social_sign_in.py)",
    "openid_connect_callback": "a provider name, not an object: the state in the visitor's own session decides",
    "mfa_remove_webauthn": "allauth asks everyone for the password again first; after that its queryset is the user's "
    "own passkeys (tests/accounts/test_passkey_ownership.py)",
    "mfa_edit_webauthn": "the same as mfa_remove_webauthn (tests/accounts/test_passkey_ownership.py)",
    "announcement_dismiss": "an announcement is for an audience, not owned: only one the signed-in person sees now "
    "is dismissed, for them alone; any other id is a 404 (tests/notifications/test_announcements.py)",
}
# Roles that must never reach another's object, and what each gets instead.
NON_OWNERS = ("other_learner", "unrelated_expert", "anonymous")


def _key(route):
    return route.name or route.route


@pytest.fixture
def world(expert_index, stripe_server, learner):
    """Ada (an expert with a session type and a package), her learner's held and paid bookings, an applicant
    with a document and a photo, and outsiders."""
    ada = make_ada(expert_index)
    session_type = SessionType.objects.get(profile=ada)
    package = add_package(ada)
    monday = next_monday_nine_berlin()
    webhook, _secret = webhook_endpoint_create(
        user=ada.user, url="https://hooks.example.com/", events=["booking.confirmed"]
    )
    paid = paid_booking(learner=learner, session_type=session_type, start=monday)
    intake_questions_replace(profile=ada, questions=[("Your level?", False)])
    resource = session_resource_add_file(
        booking=paid, by=ada.user, title="Slides", upload=SimpleUploadedFile("s.txt", b"slides")
    )
    held = held_booking(learner=learner, session_type=session_type, start=monday + timedelta(hours=1))
    goal = goal_create(learner=learner, title="Ship the thesis")
    milestone = milestone_add(goal=goal, learner=learner, title="Chapter one")
    outsider_expert = bookable_expert().profile.user
    application = make_application(UserFactory(email="applicant@example.com"), complete=False, documents=1)
    application.photo.save("photo-ownership.jpg", ContentFile(image_bytes()), save=True)
    recording = Recording(booking=paid, source="upload", content_type="video/mp4", size=4, created_at=paid.start)
    recording.file.save("ownership.mp4", ContentFile(b"\x00\x00\x00\x00"), save=True)
    thread = thread_for_booking(booking=paid)
    message = message_send(
        thread=thread, sender=ada.user, text="Slides attached", upload=SimpleUploadedFile("s.txt", b"slides")
    )
    return {
        "thread": thread,
        "message": message,
        "completed": completed_session(learner=learner, expert_profile=ada),
        "review": published_review(learner=learner, expert_profile=ada, rating=4, text="Good."),
        "applicant": application.user,
        "application": application,
        "application_document": application.documents.get(),
        "held": held,
        "paid": paid,
        "goal": goal,
        "milestone": milestone,
        "resource": resource,
        "session_type": session_type,
        "package": package,
        "purchase": PackagePurchase.objects.create(
            learner=learner,
            expert=ada.user,
            package=package,
            sessions_count=package.sessions_count,
            duration_minutes=package.session_type.duration_minutes,
            price_minor=package.price_minor,
            currency=package.currency,
            validity_days=package.validity_days,
        ),
        "learner": learner,
        "expert": ada.user,
        "booking_expert": ada.user,
        "other_learner": UserFactory(email="other.learner@example.com"),
        "unrelated_expert": outsider_expert,
        "page": ada.pages.first(),
        "token": api_token_create(user=learner, name="sync", scopes=["read"])[0],
        "webhook": webhook,
        "webhook_delivery": WebhookDelivery.objects.filter(endpoint=webhook).first(),
        "index": expert_index,
        "recording": recording,
        "calendar": ExpertCalendar.objects.create(
            profile=ada, name="Work", url_encrypted="not-a-real-address", url_hint="https://calendar.example/…ics"
        ),
        "user_session": UserSession.objects.create(
            user=learner, ip="81.2.69.160", session_key="ownership-session-key", user_agent="Firefox/128.0"
        ),
        "connected_calendar": connected_calendar_save(
            expert=ada.user,
            provider="google",
            account_email="ada@gmail.example",
            tokens=Tokens("ya29.x", "1//x", paid.start),
        ),
    }


def _snapshot():
    return [
        list(model.objects.order_by("pk").values())
        for model in (
            Booking,
            AttendanceEvent,
            SessionReport,
            SessionDecision,
            Payment,
            LedgerEntry,
            SessionType,
            Package,
            ExpertProfile,
            ApiToken,
            WebhookEndpoint,
            WebhookDelivery,
            ExpertApplication,
            ApplicationDocument,
            IntakeQuestion,
            ConnectedCalendar,
            QuestionnaireAnswer,
            SessionNote,
            SessionResource,
            Recording,
            RecordingConsent,
            SessionReview,
            ReviewReport,
            ExpertCalendar,
            Goal,
            Milestone,
            LearningLink,
            UserSession,
            Thread,
            Message,
            MessageReport,
        )
    ]


def _uncovered() -> list[str]:
    covered = set(OWNED) | set(API_OWNED) | PUBLIC | SECRET_KEYED | set(EXEMPT)
    return [
        route.route
        for route in all_routes()
        if route.takes_arguments and not route.is_admin and _key(route) not in covered
    ]


def test_every_route_with_an_argument_is_covered():
    assert _uncovered() == [], "add each new route to a table in this module"
    covered = set(OWNED) | set(API_OWNED) | PUBLIC | SECRET_KEYED | set(EXEMPT)
    assert covered - {_key(route) for route in all_routes()} == set(), "a table names a route that is gone"


def test_the_coverage_check_sees_a_new_route(settings):
    settings.ROOT_URLCONF = "tests.security.urls_with_a_new_route"
    assert _uncovered() == ["bookings/<int:pk>/notes/"]


def _expected(role, owner_role, method_taken, method_check, name=""):
    """What a non-owner gets: never the object, and nothing that tells a foreign id from a missing one."""
    if not method_taken and method_check == "outer":
        return 405
    if role == "anonymous" and name in ANONYMOUS_GETS_404:
        return 404
    if role == "anonymous":
        return 302  # to the login page
    if role == "other_learner" and owner_role == "expert":
        return 403  # the expert area refuses non-experts as a whole, the same for every id
    if not method_taken:
        return 405
    return 404


@pytest.mark.parametrize("name", sorted(OWNED))
def test_only_the_owner_reaches_an_owned_object(client, world, name):
    which, owner_role, methods, method_check = OWNED[name]
    url = reverse(name, kwargs={"pk": world[which].pk})
    missing = reverse(name, kwargs={"pk": 999_999_999})
    before = _snapshot()
    for role in NON_OWNERS:
        client.logout()
        if role != "anonymous":
            client.force_login(world[role])
        for method_name in ("GET", "POST"):
            method = client.get if method_name == "GET" else client.post
            response = method(f"{url}?next=https://evil.example/", {"test_card": "success", "goals_note": "x"})
            expected = _expected(role, owner_role, method_name in methods, method_check, name)
            assert response.status_code == expected, (role, name, method_name, response.status_code)
            if expected == 302:
                assert response["Location"].startswith("/accounts/login/"), (role, name)
            # A foreign id and an id that does not exist look the same.
            assert method(missing).status_code == expected, (role, name, method_name)
    assert _snapshot() == before, f"a non-owner changed something through {name}"
    client.logout()
    client.force_login(world[owner_role])
    for method_name in sorted(methods):
        response = (client.get if method_name == "GET" else client.post)(url)
        assert response.status_code not in (403, 404, 405, 500), (name, method_name, response.status_code)


@pytest.mark.parametrize("name", sorted(API_OWNED))
def test_only_the_owner_reaches_an_owned_api_object(world, name):
    """Over the API: by session and by token, a non-owner gets the unknown id's 404 problem and changes nothing."""
    which, owner_role, methods = API_OWNED[name]
    url = reverse(f"api:{name}", kwargs={"pk": world[which].pk})
    missing = reverse(f"api:{name}", kwargs={"pk": 999_999_999})
    before = _snapshot()
    for role in NON_OWNERS:
        client = APIClient()
        if role != "anonymous":
            client.force_authenticate(world[role])
        for method_name in ("GET", "POST"):
            call = client.get if method_name == "GET" else partial(client.post, format="json")
            # DRF asks who is calling before it looks at the method.
            expected = 401 if role == "anonymous" else 405 if method_name not in methods else 404
            for target in (url, missing):
                response = call(target, {"test_card": "success"}) if method_name == "POST" else call(target)
                assert response.status_code == expected, (role, name, method_name, target, response.status_code)
                assert response["Content-Type"] == "application/problem+json"
    assert _snapshot() == before, f"a non-owner changed something through {name}"
    owner = APIClient()
    owner.force_authenticate(world[owner_role])
    # The owner gets past the ownership check (a POST-only endpoint answers an empty body with a 400).
    reached = owner.get(url) if "GET" in methods else owner.post(url, {}, format="json")
    assert reached.status_code not in (401, 403, 404, 405, 500)


def test_the_bookings_expert_sees_the_session_but_cannot_pay_cancel_or_rehold_it(client, world):
    client.force_login(world["expert"])
    assert client.get(reverse("booking_detail", kwargs={"pk": world["paid"].pk})).status_code == 200
    before = _snapshot()
    for name, which in [("booking_cancel", "paid"), ("booking_review", "held"), ("booking_rehold", "held")]:
        assert client.post(reverse(name, kwargs={"pk": world[which].pk})).status_code == 404
    assert _snapshot() == before


SESSION_TOOLS = [
    ("message_thread", "thread"),
    ("message_thread_block", "thread"),
    ("message_report", "message"),
    ("message_attachment", "message"),
    ("booking_goals", "paid"),
    ("booking_questionnaire", "paid"),
    ("booking_note_private", "paid"),
    ("booking_note_shared", "paid"),
    ("booking_resources", "paid"),
    ("session_resource_delete", "resource"),
    ("session_resource_file", "resource"),
]


def test_staff_without_a_part_in_the_session_get_404_from_every_session_tool(client, world, staff_user):
    """Being staff opens no one's session notes or files: only the two participants reach them."""
    client.force_login(staff_user)
    before = _snapshot()
    for name, which in SESSION_TOOLS:
        url = reverse(name, kwargs={"pk": world[which].pk})
        for method in (client.get, client.post):
            response = method(url, {"body": "x", "version": "0", "goals_note": "x", "kind": "link"})
            assert response.status_code in (404, 405), (name, response.status_code)
        post_only = name in ("session_resource_delete", "message_thread_block", "message_report")
        assert client.get(url).status_code == (405 if post_only else 404), name
    assert _snapshot() == before


def test_the_bookings_learner_cannot_use_the_experts_tools_nor_the_expert_the_learners(client, world):
    before = _snapshot()
    client.force_login(world["learner"])
    for name, which in [
        ("booking_note_shared", "paid"),
        ("booking_resources", "paid"),
        ("session_resource_delete", "resource"),
    ]:
        assert (
            client.post(reverse(name, kwargs={"pk": world[which].pk}), {"body": "x", "version": "0"}).status_code == 404
        )
    client.force_login(world["expert"])
    for name in ("booking_goals", "booking_questionnaire"):
        assert (
            client.post(
                reverse(name, kwargs={"pk": world["paid"].pk}), {"goals_note": "x", "answer_1": "x"}
            ).status_code
            == 404
        )
    assert _snapshot() == before


def test_a_public_expert_page_is_bookable_by_any_learner_but_an_unknown_or_draft_one_is_not(client, world):
    page = world["page"]
    start = (next_monday_nine_berlin() + timedelta(hours=2)).isoformat()
    assert client.post(reverse("booking_start", kwargs={"page_id": page.pk}), {"session": "60", "start": start})[
        "Location"
    ].startswith("/accounts/login/")
    client.force_login(world["other_learner"])
    before = Booking.objects.count()
    page.unpublish()
    # A draft expert page, an unknown id, and a live page that is not an expert's.
    for page_id in (page.pk, 999_999_999, world["index"].pk):
        response = client.post(reverse("booking_start", kwargs={"page_id": page_id}), {"session": "60", "start": start})
        assert response.status_code == 404
    assert Booking.objects.count() == before


class TestSecretKeys:
    def test_a_made_up_confirmation_key_verifies_nothing(self, client):
        user = UserFactory(email="new@example.com", verified=False)
        client.post(reverse("account_confirm_email", kwargs={"key": "made-up-key"}))
        assert not EmailAddress.objects.filter(user=user, verified=True).exists()

    def test_a_made_up_reset_key_sets_no_password(self, client, learner):
        for key in ["set-password", "abc-def", uuid.uuid4().hex]:
            url = reverse("account_reset_password_from_key", kwargs={"uidb36": "1", "key": key})
            client.post(url, {"password1": "taken-over-2026", "password2": "taken-over-2026"})
        learner.refresh_from_db()
        assert learner.check_password(PASSWORD)

    def test_a_made_up_set_up_token_opens_no_authenticator_set_up(self, client, staff_user, settings):
        settings.STAFF_MFA_REQUIRED = True
        client.force_login(staff_user)
        client.get(reverse("staff_mfa_enrol_confirm", kwargs={"token": "made-up"}))
        assert client.get("/accounts/2fa/totp/activate/")["Location"].startswith("/accounts/2fa/enrol/")

    def test_a_made_up_calendar_address_opens_no_ones_sessions(self, client, learner):
        token = calendar_feed_regenerate(user=learner, now=timezone.now())
        made_up = token[:-1] + ("A" if token[-1] != "A" else "B")
        assert client.get(reverse("calendar_feed", kwargs={"token": made_up})).status_code == 404
        assert client.get(reverse("calendar_feed", kwargs={"token": token})).status_code == 200


def _sample_path(route) -> str:
    path = route.route.replace("^", "").replace("$", "")
    path = re.sub(r"<uuid:\w+>", str(uuid.uuid4()), path)
    path = re.sub(r"<(?:int|path|str|slug):\w+>", "1", path)
    path = re.sub(r"<\w+>", "1", path)
    path = re.sub(r"\(\?P<\w+>[^()]*\)", "1", path)
    path = re.sub(r"\([^()]*\)", "1", path)
    path = re.sub(r"\\(.)", r"\1", path)
    assert not re.search(r"[()<>\\?*+]", path), route.route
    return "/" + path


@pytest.mark.parametrize("role", ["learner", "expert_user", "anonymous"])
def test_no_admin_route_with_an_argument_opens_for_anyone_but_staff(client, role, request):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    routes = [route for route in all_routes() if route.takes_arguments and route.is_admin]
    assert len(routes) > 100
    before = _snapshot()
    for route in routes:
        path = _sample_path(route)
        for method in (client.get, client.post):
            response = method(path)
            if route.route.startswith("admin/password_reset/"):
                assert response.status_code == 404, path  # Wagtail's own reset is switched off (allauth's is used)
                continue
            assert response.status_code == 302, (path, response.status_code)
            assert re.match(r"^/(accounts|admin|django-admin)/login/", response["Location"]), (
                path,
                response["Location"],
            )
    assert _snapshot() == before
