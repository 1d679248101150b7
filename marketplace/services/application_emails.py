"""Emails to an expert applicant: submitted (or answered), changes requested, approved, rejected.

The ``send_*`` functions are called by the services *inside* the transaction of
the change (``application_submit`` here; ``application_review`` for the staff
decisions): each writes one outbox message, so the email exists exactly when the
change commits and is sent once even if a worker dies. Call them after writing
the change's ``ApplicationEvent``: the count of such events makes the dedupe key,
so a second change request on the same application is a second email.

The outbox handler ``application_email_deliver`` re-reads the application and
sends nothing when it has moved on (an approval email for an application that
is no longer approved). Mail goes in the applicant's language, with links on
``BASE_URL``.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from core.base_url import public_url
from core.outbox import outbox_enqueue
from notifications.services import email_send

from ..models import ApplicationEvent, ApplicationSettings, ExpertApplication

Status = ExpertApplication.Status
Kind = ApplicationEvent.Kind

STATUS_PATH = "/join/application/"
# template → (the event kind that counts occurrences, the statuses in which it is still worth sending)
TEMPLATES = {
    "application_submitted": (
        (Kind.SUBMITTED, Kind.ANSWERED),
        (Status.SUBMITTED, Status.IN_REVIEW, Status.CHANGES_REQUESTED, Status.APPROVED, Status.REJECTED),
    ),
    "application_changes_requested": ((Kind.CHANGES_REQUESTED,), (Status.CHANGES_REQUESTED,)),
    "application_approved": ((Kind.APPROVED,), (Status.APPROVED,)),
    "application_rejected": ((Kind.REJECTED,), (Status.REJECTED,)),
}


def _enqueue(application: ExpertApplication, template: str) -> None:
    kinds, _statuses = TEMPLATES[template]
    occurrence = ApplicationEvent.objects.filter(application=application, kind__in=kinds).count()
    outbox_enqueue(
        app_label="marketplace",
        handler="marketplace.services.application_emails.application_email_deliver",
        payload={"application_id": application.pk, "template": template},
        dedupe_key=f"application-{application.pk}-{template}-{occurrence}",
    )


def send_application_submitted(application: ExpertApplication) -> None:
    """ "We have your application" (also after an answer to a change request)."""
    _enqueue(application, "application_submitted")


def send_changes_requested(application: ExpertApplication) -> None:
    """The reviewer's message (``decision_message``) and the link to answer it."""
    _enqueue(application, "application_changes_requested")


def send_application_approved(application: ExpertApplication) -> None:
    """Welcome: the link to the expert area's "almost live" checklist."""
    _enqueue(application, "application_approved")


def send_application_rejected(application: ExpertApplication) -> None:
    """The reason (``decision_message``) and the day the applicant may apply again."""
    _enqueue(application, "application_rejected")


def application_email_deliver(*, application_id: int, template: str) -> int:
    """Outbox handler: one email to the applicant, only while it still fits the application's state."""
    if template not in TEMPLATES:
        return 0
    application = ExpertApplication.objects.select_related("user").filter(pk=application_id).first()
    if application is None or application.status not in TEMPLATES[template][1]:
        return 0
    user = application.user
    context = {
        "user": user,
        "application": application,
        "status_url": public_url(STATUS_PATH),
        "expert_url": public_url("/expert/"),
        "message": application.decision_message,
    }
    if template == "application_rejected":
        decided = application.decided_at or timezone.now()
        days = ApplicationSettings.load().application_cooloff_days
        context["reapply_on"] = timezone.localdate(decided) + timedelta(days=days)
    email_send(to=user.email, template=template, context=context, language=user.preferred_language)
    return 1
