"""Erasure at /accounts/privacy/: confirmed with the password (and second factor), a grace period,
then a job pseudonymises the account; nothing with the person's name or email is left anywhere."""

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import authenticate
from django.core import mail
from django.db import connection
from django.utils import timezone
from wagtail_localize.strings import StringValue

from accounts.models import ApiToken, DataRequest, User
from accounts.privacy_services import (
    privacy_erasure_request,
    privacy_erasures_run_due,
)
from billing.models import Payment
from bookings.models import Booking, SessionNote
from notifications.models import PhoneNumber
from reviews.models import SessionReview
from tests.builders import bookable_expert, booking_in_state
from tests.factories import UserFactory, totp_code, with_totp

from .privacy_data import EMAIL, NAME, person_with_history

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


@pytest.fixture
def expert():
    return bookable_expert().profile.user


def _text_columns():
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.table_name, c.column_name FROM information_schema.columns c
            JOIN information_schema.tables t ON t.table_name = c.table_name AND t.table_schema = c.table_schema
            WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
              AND c.data_type IN ('text', 'character varying', 'jsonb', 'json')
            """
        )
        return cursor.fetchall()


def _rows_mentioning(*needles: str) -> list[str]:
    found = []
    with connection.cursor() as cursor:
        for table, column in _text_columns():
            for needle in needles:
                # Identifiers come from the catalogue, never from input; the needle is a parameter.
                cursor.execute(
                    f'SELECT count(*) FROM "{table}" WHERE "{column}"::text ILIKE %s',  # noqa: S608
                    [f"%{needle}%"],
                )
                if cursor.fetchone()[0]:
                    found.append(f"{table}.{column} ~ {needle}")
    return found


def _due_later(days: int = 8):
    return timezone.now() + timedelta(days=days)


def test_erasure_leaves_no_name_or_email_in_any_text_column(expert, django_capture_on_commit_callbacks):
    person = person_with_history(expert_user=expert, bookings=2)
    assert EmailAddress.objects.filter(user=person, email=EMAIL).exists()
    assert _rows_mentioning(NAME, EMAIL)  # the control: the scan sees them before
    with django_capture_on_commit_callbacks(execute=True):
        privacy_erasure_request(subject=person, requested_by=person)
    assert privacy_erasures_run_due(now=timezone.now()) == 0  # the grace period is not over
    assert privacy_erasures_run_due(now=_due_later()) == 1

    assert _rows_mentioning(NAME, EMAIL, "Quixotewright") == []
    person.refresh_from_db()
    assert person.email == f"erased-{person.pk}@invalid" and not person.is_active
    assert not person.has_usable_password()
    # Money keeps its rows, pointing at the pseudonym.
    assert Payment.objects.filter(payer=person).count() == 2
    assert Booking.objects.filter(learner=person).count() == 2
    assert not ApiToken.objects.filter(user=person).exists()
    assert not PhoneNumber.objects.filter(user=person).exists()
    assert not SessionNote.objects.filter(author=person).exists()
    assert SessionReview.objects.get(learner=person).rating == 5
    assert DataRequest.objects.get(subject=person, kind="erase").status == "done"


def test_the_erased_person_can_no_longer_sign_in(client, django_capture_on_commit_callbacks):
    person = UserFactory(email="gone@example.com", full_name="Gone Person")
    person.set_password(PASSWORD)
    person.save()
    client.post("/accounts/login/", {"login": person.email, "password": PASSWORD})
    assert client.get("/accounts/privacy/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        privacy_erasure_request(subject=person, requested_by=person)
    privacy_erasures_run_due(now=_due_later())
    assert client.get("/accounts/privacy/").status_code == 302  # the open session is over
    assert authenticate(email="gone@example.com", password=PASSWORD) is None
    response = client.post("/accounts/login/", {"login": "gone@example.com", "password": PASSWORD})
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_confirming_needs_the_password_and_the_box(client, learner, django_capture_on_commit_callbacks):
    learner.set_password(PASSWORD)
    learner.save()
    client.force_login(learner)
    response = client.post("/accounts/privacy/erase/", {"password": "wrong", "understood": "on"})
    assert response.status_code == 400 and "That is not your password." in response.content.decode()
    response = client.post("/accounts/privacy/erase/", {"password": PASSWORD})
    assert response.status_code == 400
    assert not DataRequest.objects.filter(subject=learner).exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/privacy/erase/", {"password": PASSWORD, "understood": "on"}, follow=True)
    assert "will be erased on" in response.content.decode()
    erasure = DataRequest.objects.get(subject=learner, kind="erase")
    assert erasure.status == "pending" and erasure.due_at > timezone.now() + timedelta(days=6)
    assert any("will be erased" in message.subject for message in mail.outbox)


def test_a_second_factor_is_asked_when_the_account_has_one(client, learner):
    learner.set_password(PASSWORD)
    learner.save()
    secret = with_totp(learner)
    client.force_login(learner)
    page = client.get("/accounts/privacy/").content.decode()
    assert 'name="code"' in page
    response = client.post("/accounts/privacy/erase/", {"password": PASSWORD, "understood": "on"})
    assert response.status_code == 400 and not DataRequest.objects.exists()
    response = client.post("/accounts/privacy/erase/", {"password": PASSWORD, "understood": "on", "code": "000000"})
    assert response.status_code == 400 and not DataRequest.objects.exists()
    response = client.post(
        "/accounts/privacy/erase/", {"password": PASSWORD, "understood": "on", "code": totp_code(secret)}
    )
    assert response.status_code == 302 and DataRequest.objects.filter(subject=learner, kind="erase").exists()


def test_signing_in_and_cancelling_stops_the_erasure(client, learner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        privacy_erasure_request(subject=learner, requested_by=learner)
    client.force_login(learner)
    assert "Cancel the erasure" in client.get("/accounts/privacy/").content.decode()
    client.post("/accounts/privacy/erase/cancel/")
    assert privacy_erasures_run_due(now=_due_later()) == 0
    learner.refresh_from_db()
    assert learner.is_active and learner.email == "learner@example.com"


def test_an_open_dispute_refuses_erasure(client, learner, expert):
    booking = booking_in_state(learner=learner, expert=expert, start=timezone.now() - timedelta(days=3))
    Payment.objects.create(
        booking=booking,
        reference=f"booking-{booking.pk}",
        payer=learner,
        payee=expert,
        amount_minor=8000,
        currency="EUR",
        commission_rate_bp=1500,
        status="succeeded",
        idempotency_key="k",
        dispute_status="open",
    )
    client.force_login(learner)
    page = client.get("/accounts/privacy/").content.decode()
    assert "payment dispute is open" in page and 'data-testid="erase"' not in page
    with pytest.raises(Exception, match="dispute"):
        privacy_erasure_request(subject=learner, requested_by=learner)


def test_a_dispute_opened_during_the_grace_period_makes_the_job_wait(learner, expert):
    erasure = privacy_erasure_request(subject=learner, requested_by=learner)
    booking = booking_in_state(learner=learner, expert=expert, start=timezone.now() - timedelta(days=3))
    Payment.objects.create(
        booking=booking,
        reference=f"booking-{booking.pk}",
        payer=learner,
        payee=expert,
        amount_minor=8000,
        currency="EUR",
        commission_rate_bp=1500,
        status="succeeded",
        idempotency_key="k",
        dispute_status="open",
    )
    assert privacy_erasures_run_due(now=_due_later()) == 0
    erasure.refresh_from_db()
    assert erasure.status == "pending" and "dispute" in erasure.last_error


def test_upcoming_sessions_are_shown_then_cancelled(client, learner, expert):
    start = timezone.now() + timedelta(days=20)
    booking = booking_in_state(learner=learner, expert=expert, start=start, amount_minor=0)
    client.force_login(learner)
    page = client.get("/accounts/privacy/").content.decode()
    assert "1 upcoming session will be cancelled" in page
    privacy_erasure_request(subject=learner, requested_by=learner)
    privacy_erasures_run_due(now=_due_later())
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED_BY_LEARNER


def test_an_experts_page_is_unpublished_and_emptied(ada):
    from marketplace.models import ExpertPage

    user = ada.user
    page = ExpertPage.objects.get(profile=ada)
    assert page.live
    privacy_erasure_request(subject=user, requested_by=user)
    privacy_erasures_run_due(now=_due_later())
    page.refresh_from_db()
    assert not page.live and page.title == "Erased expert" and page.bio == ""
    assert _rows_mentioning("Ada Lovelace") == []


def test_the_source_text_wagtail_localize_keeps_of_an_experts_page_is_erased(ada):
    from wagtail_localize.models import String, TranslationSource

    from marketplace.models import ExpertPage

    page = ExpertPage.objects.get(profile=ada)
    page.bio = "Ada Lovelace teaches analytical engines."
    page.save_revision().publish()
    source, _created = TranslationSource.get_or_create_from_instance(page)
    source.refresh_segments()
    shared = String.from_value(page.locale, StringValue.from_plaintext("Book a session"))
    assert String.objects.filter(data__contains="analytical engines").exists()
    privacy_erasure_request(subject=ada.user, requested_by=ada.user)
    privacy_erasures_run_due(now=_due_later())
    assert not TranslationSource.objects.filter(object_id=page.translation_key).exists()
    assert _rows_mentioning("Ada Lovelace", "analytical engines") == []
    assert String.objects.filter(pk=shared.pk).exists() is False  # unused anywhere, so it went too


def test_staff_queue_records_requests_on_someones_behalf(client, staff_user, learner):
    from django.contrib.auth.models import Permission

    staff_user.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_datarequest", "add_datarequest", "access_admin"])
    )
    client.force_login(staff_user)
    response = client.post(
        "/admin/data-requests/new/",
        {"email": learner.email, "kind": "erase", "identity_check": "Replied from the account's address."},
    )
    assert response.status_code == 302
    made = DataRequest.objects.get(subject=learner)
    assert made.requested_by == staff_user and made.handled_by == staff_user and made.kind == "erase"
    listing = client.get("/admin/data-requests/").content.decode()
    assert learner.email in listing and "Replied from the account" in listing
    bad = client.post("/admin/data-requests/new/", {"email": "nobody@example.com", "kind": "export"})
    assert bad.status_code == 400


def test_the_staff_queue_is_staff_only(client, learner):
    client.force_login(learner)
    assert client.get("/admin/data-requests/").status_code in (302, 403)
    assert client.post("/admin/data-requests/new/", {}).status_code in (302, 403)


def test_the_queue_reads_in_constant_queries(client, staff_user, django_assert_max_num_queries):
    from django.contrib.auth.models import Permission

    staff_user.user_permissions.add(*Permission.objects.filter(codename__in=["view_datarequest", "access_admin"]))
    client.force_login(staff_user)

    def fill(count):
        for _ in range(count):
            DataRequest.objects.create(subject=UserFactory(), kind="export", status="done", requested_by=staff_user)

    fill(3)
    client.get("/admin/data-requests/")
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get("/admin/data-requests/")
    fill(30)
    with CaptureQueriesContext(connection) as many:
        client.get("/admin/data-requests/")
    assert len(many.captured_queries) == len(few.captured_queries)


def test_an_unknown_user_cannot_be_made_to_erase_someone_else(client, learner):
    other = UserFactory()
    client.force_login(other)
    client.post("/accounts/privacy/erase/", {"password": "x", "understood": "on", "subject": learner.pk})
    assert not DataRequest.objects.filter(subject=learner).exists()
    assert User.objects.get(pk=learner.pk).is_active


def test_contact_form_submissions_with_the_persons_address_are_exported_and_erased(site_tree, learner):
    import io
    import json
    import zipfile

    from wagtail.contrib.forms.models import FormSubmission

    from accounts.privacy_services import privacy_export_write

    mine = FormSubmission.objects.create(
        page=site_tree["contact"], form_data={"your_name": "Lena Learner", "email": learner.email, "message": "Hi"}
    )
    other = FormSubmission.objects.create(
        page=site_tree["contact"], form_data={"your_name": "Someone", "email": "someone@example.com", "message": "x"}
    )
    target = io.BytesIO()
    privacy_export_write(user=learner, target=target)
    exported = json.loads(zipfile.ZipFile(target).read("cms_pages.json"))["form_submissions"]
    assert [row["form_data"]["message"] for row in exported] == ["Hi"]
    privacy_erasure_request(subject=learner, requested_by=learner)
    privacy_erasures_run_due(now=_due_later())
    assert not FormSubmission.objects.filter(pk=mine.pk).exists()
    assert FormSubmission.objects.filter(pk=other.pk).exists()


def _reauthenticated(client, user, *, at: float | None = None, method: str = "mfa", kind: str = "webauthn") -> None:
    """What allauth writes to the session when the person re-authenticates (here: with a passkey)."""
    import time

    session = client.session
    session["account_authentication_methods"] = [
        {"method": method, "type": kind, "at": time.time() if at is None else at, "reauthenticated": True}
    ]
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()


def test_a_passkey_only_account_confirms_with_its_passkey_then_the_box(client, learner):
    from allauth.mfa.models import Authenticator

    learner.set_password(PASSWORD)
    learner.save()
    Authenticator.objects.create(user=learner, type=Authenticator.Type.WEBAUTHN, data={"name": "Laptop"})
    client.force_login(learner)
    page = client.get("/accounts/privacy/").content.decode()
    assert "Confirm it is you with your passkey first" in page
    assert "/accounts/2fa/webauthn/reauthenticate/?next=%2Faccounts%2Fprivacy%2F" in page
    assert 'name="code"' not in page and 'name="password"' not in page
    # Without the passkey step, nothing happens, whatever is posted.
    response = client.post("/accounts/privacy/erase/", {"password": PASSWORD, "understood": "on", "code": "1"})
    assert response.status_code == 400 and not DataRequest.objects.exists()
    _reauthenticated(client, learner)
    assert "Confirm it is you" not in client.get("/accounts/privacy/").content.decode()
    assert client.post("/accounts/privacy/erase/", {}).status_code == 400  # the box is still needed
    response = client.post("/accounts/privacy/erase/", {"understood": "on"})
    assert response.status_code == 302 and DataRequest.objects.filter(subject=learner, kind="erase").exists()


def test_a_passkey_confirmation_older_than_allauths_timeout_is_not_enough(client, learner, settings):
    from allauth.mfa.models import Authenticator

    Authenticator.objects.create(user=learner, type=Authenticator.Type.WEBAUTHN, data={"name": "Laptop"})
    client.force_login(learner)
    _reauthenticated(client, learner, at=1_000_000_000)
    response = client.post("/accounts/privacy/erase/", {"understood": "on"})
    assert response.status_code == 400 and not DataRequest.objects.exists()


def test_an_account_without_password_or_second_factor_sets_a_password_first(client, learner):
    learner.set_unusable_password()
    learner.save()
    client.force_login(learner)
    page = client.get("/accounts/privacy/").content.decode()
    assert "Set a password first" in page and "/accounts/password/set/?next=%2Faccounts%2Fprivacy%2F" in page
    _reauthenticated(client, learner, method="socialaccount", kind="google")
    response = client.post("/accounts/privacy/erase/", {"understood": "on"})
    assert response.status_code == 400 and not DataRequest.objects.exists()
