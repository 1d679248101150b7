"""The applicant's side of an expert application: start, save each step, submit, answer a change request.

Every write locks the application row first and re-reads its status under the
lock, so a double click, two tabs or two devices cannot submit twice or edit an
application a reviewer has started on. One *open* application per user is also
a database constraint (``marketplace_one_open_application``). The staff side
(claim, request changes, approve, reject) is ``application_review``.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import date, timedelta

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.locking import locked_transaction

from ..errors import ApplicationIncomplete, ApplicationRefused
from ..models import ApplicationEvent, ApplicationSettings, Category, ExpertApplication, Language
from ..models.application_offer import Offer, OfferInvalid, offer_parse
from .application_emails import send_application_submitted
from .photos import photo_clean

Status = ExpertApplication.Status
Step = ExpertApplication.Step
MAX_ANSWER_LENGTH = 4000


def application_cooloff_ends(*, user) -> date | None:
    """The first day a rejected applicant may apply again, while that day is still ahead."""
    last = (
        ExpertApplication.objects.filter(user=user, status=Status.REJECTED, decided_at__isnull=False)
        .order_by("-decided_at")
        .values_list("decided_at", flat=True)
        .first()
    )
    if last is None:
        return None
    days = ApplicationSettings.load().application_cooloff_days
    ends = timezone.localdate(last) + timedelta(days=days)
    return ends if ends > timezone.localdate() else None


def _refuse_if_cannot_apply(user) -> None:
    if user.is_expert:
        raise ApplicationRefused(_("You are already an expert on TapTime."), code="already_expert")
    ends = application_cooloff_ends(user=user)
    if ends is not None:
        raise ApplicationRefused(
            _("You can apply again from %(date)s, after the cooling-off period that follows a decision.")
            % {"date": date_format(ends, "DATE_FORMAT")},
            code="cooling_off",
            extra={"until": ends},
        )


def application_start(*, user) -> ExpertApplication:
    """The user's open application, or a new draft (logged as started)."""
    open_application = ExpertApplication.objects.filter(user=user).exclude(status__in=ExpertApplication.CLOSED_STATUSES)
    existing = open_application.first()
    if existing is not None:
        return existing
    _refuse_if_cannot_apply(user)
    try:
        with transaction.atomic():
            application = ExpertApplication.objects.create(user=user, time_zone=user.time_zone or "")
            ApplicationEvent.objects.create(application=application, actor=user, kind=ApplicationEvent.Kind.CREATED)
    except IntegrityError:
        # Another request started one at the same moment: use it.
        return open_application.get()
    return application


def _lock(application: ExpertApplication) -> ExpertApplication:
    """The application's row, locked until the transaction ends, with its status read under the lock."""
    return ExpertApplication.objects.select_for_update().get(pk=application.pk)


def _lock_editable(application: ExpertApplication, user) -> ExpertApplication:
    locked = _lock(application)
    if locked.user_id != user.pk:
        raise ApplicationRefused(_("This is not your application."), code="not_owner")
    if not locked.is_editable:
        raise ApplicationRefused(
            _("Your application is with our reviewers and cannot be changed now. You will hear from us by email."),
            code="not_editable",
        )
    return locked


def _done(application: ExpertApplication, step: int) -> None:
    application.step = max(application.step, step)


@locked_transaction()
def application_about_save(
    *,
    application: ExpertApplication,
    user,
    headline: str,
    bio: str,
    languages: Iterable[Language],
    time_zone: str,
    links: list[str],
    photo_upload: UploadedFile | None = None,
    remove_photo: bool = False,
) -> ExpertApplication:
    locked = _lock_editable(application, user)
    old_photo = locked.photo.name if locked.photo else ""
    if photo_upload is not None:
        # Validated and re-encoded before anything is written (raises PhotoRejected).
        clean = photo_clean(upload=photo_upload)
        locked.photo.save(f"{secrets.token_urlsafe(16)}.jpg", ContentFile(clean), save=False)
    elif remove_photo:
        locked.photo = ""
    locked.headline, locked.bio, locked.time_zone, locked.links = headline, bio, time_zone, list(links)
    _done(locked, Step.ABOUT)
    locked.save()
    locked.languages.set(languages)
    if old_photo and old_photo != (locked.photo.name if locked.photo else ""):
        storage = locked.photo.storage
        transaction.on_commit(lambda: storage.delete(old_photo))
    return locked


@locked_transaction()
def application_expertise_save(
    *,
    application: ExpertApplication,
    user,
    categories: Iterable[Category],
    skills: list[str],
    years_experience: int,
) -> ExpertApplication:
    locked = _lock_editable(application, user)
    locked.skills, locked.years_experience = list(skills), years_experience
    _done(locked, Step.EXPERTISE)
    locked.save()
    locked.categories.set(categories)
    return locked


@locked_transaction()
def application_offer_save(*, application: ExpertApplication, user, offer: Offer) -> ExpertApplication:
    locked = _lock_editable(application, user)
    locked.offer = offer.as_json()
    _done(locked, Step.OFFER)
    locked.save()
    return locked


@locked_transaction()
def application_credentials_done(*, application: ExpertApplication, user) -> ExpertApplication:
    """The applicant moves on from the documents step (documents are saved one by one as uploaded)."""
    locked = _lock_editable(application, user)
    _done(locked, Step.CREDENTIALS)
    locked.save(update_fields=["step", "updated_at"])
    return locked


def application_missing(application: ExpertApplication) -> list[tuple[str, str]]:
    """(step slug, message) for every answer the application needs before it can be submitted."""
    missing: list[tuple[str, str]] = []
    if not application.headline.strip():
        missing.append(("about", _("Add a headline.")))
    if not application.bio.strip():
        missing.append(("about", _("Write a short bio.")))
    if not application.time_zone:
        missing.append(("about", _("Choose your time zone.")))
    if not application.languages.exists():
        missing.append(("about", _("Choose at least one language you hold sessions in.")))
    if not application.categories.exists():
        missing.append(("expertise", _("Choose at least one category.")))
    if application.years_experience is None:
        missing.append(("expertise", _("Say how many years of experience you have.")))
    try:
        offer_parse(application.offer)
    except OfferInvalid as invalid:
        missing.extend(("offer", message) for message in invalid.messages)
    if not application.documents.exists():
        missing.append(("credentials", _("Upload at least one document (an ID, certificate, diploma or portfolio).")))
    return missing


def _refuse_if_incomplete(application: ExpertApplication) -> None:
    missing = application_missing(application)
    if missing:
        raise ApplicationIncomplete(
            _("Your application is not complete yet: %(first)s") % {"first": missing[0][1]},
            code="incomplete",
            extra={"missing": missing},
        )


@locked_transaction()
def application_submit(*, application: ExpertApplication, user) -> ExpertApplication:
    """draft → submitted: into the staff queue, logged, and the applicant is emailed (once, on commit)."""
    locked = _lock(application)
    if locked.user_id != user.pk:
        raise ApplicationRefused(_("This is not your application."), code="not_owner")
    if locked.status == Status.CHANGES_REQUESTED:
        raise ApplicationRefused(
            _("Our reviewers asked for changes: answer them on your application page to send it back."),
            code="answer_instead",
        )
    if locked.status != Status.DRAFT:
        raise ApplicationRefused(_("You have already submitted this application."), code="already_submitted")
    if user.is_expert:
        raise ApplicationRefused(_("You are already an expert on TapTime."), code="already_expert")
    _refuse_if_incomplete(locked)
    locked.status, locked.submitted_at = Status.SUBMITTED, timezone.now()
    locked.save(update_fields=["status", "submitted_at", "updated_at"])
    ApplicationEvent.objects.create(application=locked, actor=user, kind=ApplicationEvent.Kind.SUBMITTED)
    send_application_submitted(locked)
    return locked


@locked_transaction()
def application_answer_changes(*, application: ExpertApplication, user, message: str) -> ExpertApplication:
    """changes_requested → submitted, with the applicant's answer in the history for the reviewer.

    The claim stays, so the reviewer who asked gets the answer; the waiting time
    starts again from the answer.
    """
    locked = _lock(application)
    if locked.user_id != user.pk:
        raise ApplicationRefused(_("This is not your application."), code="not_owner")
    if locked.status != Status.CHANGES_REQUESTED:
        raise ApplicationRefused(_("There is no change request to answer."), code="nothing_to_answer")
    message = message.strip()
    if not message:
        raise ApplicationRefused(_("Tell the reviewer what you changed."), code="answer_required")
    if len(message) > MAX_ANSWER_LENGTH:
        raise ApplicationRefused(
            _("Keep your answer under %(n)s characters.") % {"n": MAX_ANSWER_LENGTH}, code="answer_too_long"
        )
    _refuse_if_incomplete(locked)
    locked.status, locked.submitted_at = Status.SUBMITTED, timezone.now()
    locked.save(update_fields=["status", "submitted_at", "updated_at"])
    ApplicationEvent.objects.create(
        application=locked, actor=user, kind=ApplicationEvent.Kind.ANSWERED, message=message
    )
    send_application_submitted(locked)
    return locked
