"""A person with something in every corner the privacy parts cover, for export and erasure tests."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.models import ApiToken
from billing.models import Payment
from bookings.models import Booking, QuestionnaireAnswer, SessionDecision, SessionNote, SessionReport
from marketplace.models import ApplicationDocument, ExpertApplication
from notifications.models import NotificationPreference, PhoneNumber
from reviews.models import SessionReview
from tests.builders import booking_in_state
from tests.factories import UserFactory

NAME = "Zebulon Quixotewright"
EMAIL = "zebulon.quixotewright@example.org"


def person_with_history(*, expert_user, bookings: int = 1, name: str = NAME, email: str = EMAIL):
    """A learner with past paid sessions, notes, a review, a phone, an application with a document."""
    person = UserFactory(email=email, full_name=name)
    now = timezone.now()
    for index in range(bookings):
        booking = booking_in_state(
            learner=person,
            expert=expert_user,
            start=now - timedelta(days=10 + index, hours=index % 7),
            status=Booking.Status.COMPLETED,
            goals_note=f"{name} wants to learn Rust ({email})",
        )
        Payment.objects.create(
            booking=booking,
            reference=f"booking-{booking.pk}",
            payer=person,
            payee=expert_user,
            amount_minor=8000,
            currency="EUR",
            commission_rate_bp=1500,
            status=Payment.Status.SUCCEEDED,
            idempotency_key=f"payment-booking-{booking.pk}",
            last_error=f"card of {name} declined once",
        )
    first = Booking.objects.filter(learner=person).order_by("pk").first()
    QuestionnaireAnswer.objects.create(booking=first, position=1, question="Why?", answer=f"I am {name}")
    SessionNote.objects.create(booking=first, author=person, shared=True, body=f"Notes by {name}")
    SessionReport.objects.create(
        booking=first, reporter=person, role="learner", kind="technical", text=f"{name}: audio broke"
    )
    SessionDecision.objects.create(
        booking=first,
        outcome="pay_expert",
        refund_percent=0,
        refund_minor=0,
        reason="Decided by the rules",
        decided_at=now,
        settled_at=now,
    )
    SessionReview.objects.create(
        booking=first,
        learner=person,
        profile=expert_user.expert_profile,
        session_minutes=60,
        rating=5,
        text=f"Great session — {name}",
        private_note=f"private from {email}",
        publish_after=now,
        published_at=now,
    )
    PhoneNumber.objects.create(user=person, number="+4915112345678", verified_at=now)
    NotificationPreference.objects.create(user=person, marketing_email=True)
    ApiToken.objects.create(
        user=person, name=f"{name}'s script", prefix="tt_abc", secret_hash=hashlib.sha256(email.encode()).hexdigest()
    )
    application = ExpertApplication.objects.create(user=person, headline=f"{name}, Rustacean", bio=f"Write to {email}")
    document = ApplicationDocument(
        application=application, kind="identity", title="Passport", content_type="application/pdf"
    )
    document.file.save("passport.pdf", ContentFile(b"%PDF-1.4 " + name.encode()), save=False)
    document.size = document.file.size
    document.save()
    return person
