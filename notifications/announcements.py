"""Staff announcements: who sees one, dismissing it, and emailing it exactly once per person.

- Shown on the learner's and the expert's dashboards (``{% announcements %}``) while ``starts_at <=
  now < ends_at``, newest first, until the person dismisses it, and only while the ``announcements``
  feature flag is on for them (core.flags: staff first, then everyone).
- Audiences: everyone; learners (people who are not experts); experts; the experts of one category.
  The catalogue sits above notifications, so it registers how to find a category's experts
  (``category_audience_register``); without it the category audience reaches nobody.
- Email: the periodic job ``send_due_announcements`` sends due announcements in batches, each batch in
  its own transaction holding the announcement's row lock (two workers never send the same batch). A
  person gets it once: the ``AnnouncementEmail`` row (unique per announcement and person) is written
  with the send. Only people who accept news by email get it, through ``marketing_email_send``, which
  re-checks the choice and adds the one-click unsubscribe (RFC 8058) that turns it off.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from .marketing import marketing_email_send
from .models import Announcement, AnnouncementDismissal, AnnouncementEmail, NotificationPreference

SHOWN_AT_ONCE = 3
EMAIL_BATCH = 200
EMAIL_BATCHES_PER_RUN = 5


@dataclass(frozen=True)
class CategoryAudience:
    choices: Callable[[], list[tuple[int, str]]]  # (category id, name) for the admin form
    user_ids: Callable[[int], Iterable[int]]  # the category's experts (a queryset of ids)
    categories_of: Callable[[object], set[int]]  # an expert's categories, one query


_CATEGORY: list[CategoryAudience] = []


def category_audience_register(audience: CategoryAudience) -> None:
    _CATEGORY[:] = [audience]


def category_audience() -> CategoryAudience | None:
    return _CATEGORY[0] if _CATEGORY else None


def _live(now: datetime) -> Q:
    return Q(starts_at__lte=now) & (Q(ends_at__isnull=True) | Q(ends_at__gt=now))


def announcements_for(*, user, now: datetime | None = None) -> list[Announcement]:
    """What ``user`` should see now: one query, two for an expert when categories are registered."""
    now = now or timezone.now()
    A = Announcement.Audience
    audience = Q(audience=A.EVERYONE) | Q(audience=A.EXPERTS if user.is_expert else A.LEARNERS)
    registered = category_audience()
    if user.is_expert and registered is not None:
        categories = registered.categories_of(user)
        if categories:
            audience |= Q(audience=A.CATEGORY_EXPERTS, category_id__in=sorted(categories))
    shown = Announcement.objects.filter(_live(now), audience).exclude(dismissals__user=user)
    return list(shown.only("pk", "title", "body", "starts_at").order_by("-starts_at", "-pk")[:SHOWN_AT_ONCE])


def announcement_dismiss(*, user, announcement_id: int, now: datetime | None = None) -> bool:
    """Hide one announcement from ``user`` for good; False when it is not one they can see now."""
    visible = {announcement.pk for announcement in announcements_for(user=user, now=now)}
    if announcement_id not in visible:
        return AnnouncementDismissal.objects.filter(announcement_id=announcement_id, user=user).exists()
    try:
        with transaction.atomic():
            AnnouncementDismissal.objects.get_or_create(announcement_id=announcement_id, user=user)
    except IntegrityError:  # a second tab dismissed it at the same moment
        pass
    return True


def audience_user_ids(announcement: Announcement) -> QuerySet:
    """The ids of the active accounts the announcement is for."""
    users = get_user_model().objects.filter(is_active=True)
    A = Announcement.Audience
    if announcement.audience == A.LEARNERS:
        users = users.filter(is_expert=False)
    elif announcement.audience == A.EXPERTS:
        users = users.filter(is_expert=True)
    elif announcement.audience == A.CATEGORY_EXPERTS:
        registered = category_audience()
        if registered is None or announcement.category_id is None:
            return users.none().values_list("pk", flat=True)
        users = users.filter(is_expert=True, pk__in=registered.user_ids(announcement.category_id))
    return users.values_list("pk", flat=True)


def announcement_email_batch(*, announcement_id: int, batch_size: int = EMAIL_BATCH, now=None) -> tuple[int, bool]:
    """Email the next ``batch_size`` people of the audience who accept news and have not had it.

    Returns (emails sent, finished). Finished announcements get ``emailed_at`` and are not read again.
    """
    now = now or timezone.now()
    User = get_user_model()
    with transaction.atomic():
        announcement = Announcement.objects.select_for_update().filter(pk=announcement_id).first()
        if announcement is None or not announcement.send_email or announcement.emailed_at is not None:
            return 0, True
        if not Announcement.objects.filter(_live(now), pk=announcement_id).exists():
            return 0, False  # not started yet (or over: nothing more is sent)
        opted_in = NotificationPreference.objects.filter(marketing_email=True).values("user_id")
        already = AnnouncementEmail.objects.filter(announcement=announcement).values("user_id")
        ids = audience_user_ids(announcement).filter(pk__in=opted_in).exclude(pk__in=already).order_by("pk")
        recipients = list(User.objects.filter(pk__in=list(ids[:batch_size])).order_by("pk"))
        sent = 0
        for user in recipients:
            AnnouncementEmail.objects.create(announcement=announcement, user=user, sent_at=now)
            context = {"announcement": announcement, "user": user}
            sent += marketing_email_send(user=user, template="announcement", context=context)
        finished = len(recipients) < batch_size
        if finished:
            Announcement.objects.filter(pk=announcement.pk).update(emailed_at=now)
    return sent, finished


def announcements_email_due(*, now=None) -> int:
    """The periodic job's work: a few batches of every due announcement; returns emails sent."""
    now = now or timezone.now()
    due = Announcement.objects.filter(_live(now), send_email=True, emailed_at__isnull=True).values_list("pk", flat=True)
    total = 0
    for announcement_id in list(due):
        for _batch in range(EMAIL_BATCHES_PER_RUN):
            sent, finished = announcement_email_batch(announcement_id=announcement_id, now=now)
            total += sent
            if finished or not sent:
                break
    return total
