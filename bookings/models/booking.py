"""A session between a learner and an expert, from hold to completion."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.money import Money
from marketplace.models import SessionType

from .refund_policy import RefundTerms


class Booking(models.Model):
    """A session between a learner and an expert, [start, end) in UTC.

    No slot is sold twice: ``bookings.services.holds.booking_hold`` locks and
    rechecks, and on PostgreSQL two exclusion constraints (migration 0002,
    ``EXCLUSION_CONSTRAINTS``) refuse two slot-holding bookings that overlap for
    the same expert or the same learner.
    """

    class Status(models.TextChoices):
        HELD = "held", _("Held, awaiting payment")
        CONFIRMED = "confirmed", _("Confirmed")
        COMPLETED = "completed", _("Completed")
        CANCELLED_BY_LEARNER = "cancelled_by_learner", _("Cancelled by the learner")
        CANCELLED_BY_EXPERT = "cancelled_by_expert", _("Cancelled by the expert")
        # Its payment was refunded in full outside the app (staff, in Stripe's dashboard).
        CANCELLED_REFUNDED = "cancelled_refunded", _("Cancelled and refunded by TapTime")
        NO_SHOW_LEARNER = "no_show_learner", _("Learner did not show up")
        NO_SHOW_EXPERT = "no_show_expert", _("Expert did not show up")
        EXPIRED = "expired", _("Hold expired")

    # The states that occupy time in both calendars. The exclusion constraints'
    # WHERE clause lists the same states; a test reads the constraint back from
    # PostgreSQL and compares it with this tuple.
    SLOT_HOLDING = (Status.HELD, Status.CONFIRMED)
    # No booking is longer than this: a booking's length is its session type's,
    # and the catalogue allows at most 90 minutes (``marketplace_duration_allowed``).
    # Lets a search for bookings overlapping a window bound ``start`` on both sides,
    # so the (expert, start) and (learner, start) indexes read only the window and
    # never a whole booking history.
    MAX_LENGTH = timedelta(hours=24)

    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="bookings_as_learner")
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="bookings_as_expert")
    # What was booked. The price and length are snapshots on the booking itself
    # (``amount_minor``, ``start``/``end``): a later price change or a removed
    # session type never changes a booking, so the link may become empty.
    session_type = models.ForeignKey(
        SessionType, null=True, blank=True, on_delete=models.SET_NULL, related_name="bookings"
    )
    start = models.DateTimeField()
    end = models.DateTimeField()
    status = models.CharField(max_length=24, choices=Status.choices, default=Status.HELD)
    hold_expires_at = models.DateTimeField(null=True, blank=True)
    # The price computed on the server when the slot was held.
    amount_minor = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    # What the learner wants from the session, written on the review page.
    goals_note = models.TextField(blank=True, max_length=2000)
    # Set once, when the booking is confirmed (paid): the video room both join.
    video_url = models.URLField(max_length=500, blank=True)
    # Whose room ``video_url`` is ("jitsi", "zoom", "google_meet"; empty: Jitsi, before providers were
    # chosen per expert) and the provider's id for it (Zoom's meeting id, the Calendar event id), which
    # updates, deletions and Zoom's webhooks find it by (``bookings.services.video_rooms``).
    video_provider = models.CharField(max_length=16, blank=True, default="")
    video_meeting_id = models.CharField(max_length=64, blank=True, default="")
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # When the learner's bank first reported a dispute (chargeback) of its payment.
    disputed_at = models.DateTimeField(null=True, blank=True)
    # The refund policy it was bought under, copied from the expert's tier when the time was held
    # (``bookings.models.refund_policy``). Bookings from before the tiers keep the old rule:
    # full refund up to 24 hours before, nothing after (empty tier).
    refund_tier = models.CharField(max_length=16, blank=True, default="")
    full_refund_hours = models.PositiveSmallIntegerField(default=24)
    partial_refund_hours = models.PositiveSmallIntegerField(default=0)
    partial_refund_percent = models.PositiveSmallIntegerField(default=0)
    # What the learner gets back for a cancellation, fixed when the cancellation begins (under the
    # booking's lock, before the refund is asked for), so a retry refunds the same amount.
    refund_minor = models.BigIntegerField(null=True, blank=True)
    # Who began the cancellation that fixed ``refund_minor`` ("learner" or "expert"): only that
    # side's cancellation may finish it, so two cancellations never mix their refunds.
    cancelling_by = models.CharField(max_length=8, blank=True, default="")
    # How often the learner moved it (at most ``BOOKING_MAX_RESCHEDULES``), and the calendar
    # invite's SEQUENCE: each move sends the same UID with one higher (RFC 5545 3.8.7.4).
    reschedule_count = models.PositiveSmallIntegerField(default=0)
    # Booked with a package credit instead of a payment (billing's ``booking_book_with_credit``):
    # the package's size, and how many of its credits were used with this one ("2 of 5 used").
    credit_used = models.PositiveSmallIntegerField(null=True, blank=True)
    credit_total = models.PositiveSmallIntegerField(null=True, blank=True)
    ics_sequence = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["start"]
        indexes = [
            models.Index(fields=["expert", "start"], name="booking_expert_start"),
            models.Index(fields=["learner", "start"], name="booking_learner_start"),
            models.Index(fields=["status", "hold_expires_at"], name="booking_status_expiry"),
            # The learner's recent holds, for the velocity limits of bookings.services.limits.
            models.Index(fields=["learner", "created_at"], name="booking_learner_created"),
            # Zoom's webhooks name the meeting; only bookings with a remote meeting are indexed.
            models.Index(
                fields=["video_provider", "video_meeting_id"],
                name="booking_video_meeting",
                condition=~Q(video_meeting_id=""),
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="booking_ends_after_start"),
            models.CheckConstraint(condition=~Q(learner=F("expert")), name="booking_not_with_oneself"),
            models.CheckConstraint(condition=Q(amount_minor__gte=0), name="booking_amount_not_negative"),
            models.CheckConstraint(
                condition=~Q(status="held") | Q(hold_expires_at__isnull=False), name="booking_hold_has_expiry"
            ),
            models.CheckConstraint(
                condition=Q(partial_refund_percent__lte=100, partial_refund_hours__lte=F("full_refund_hours")),
                name="booking_refund_terms_sane",
            ),
            models.CheckConstraint(
                condition=Q(refund_minor__isnull=True) | Q(refund_minor__gte=0, refund_minor__lte=F("amount_minor")),
                name="booking_refund_within_price",
            ),
        ]

    def __str__(self) -> str:
        return f"Booking {self.pk} {self.start:%Y-%m-%d %H:%M}Z ({self.status})"

    @property
    def price(self) -> Money:
        return Money(int(self.amount_minor), self.currency)

    @property
    def paid_with_credit(self) -> bool:
        return self.credit_total is not None

    @property
    def refund_terms(self) -> RefundTerms:
        """The refund policy it was bought under (its snapshot)."""
        return RefundTerms(
            self.refund_tier, self.full_refund_hours, self.partial_refund_hours, self.partial_refund_percent
        )

    @property
    def refund(self) -> Money | None:
        """What the learner got (or is getting) back for a cancellation; None when none began."""
        return None if self.refund_minor is None else Money(int(self.refund_minor), self.currency)

    @property
    def refund_is_full(self) -> bool:
        return self.refund_minor is not None and self.refund_minor == self.amount_minor

    @property
    def duration_minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)

    @property
    def duration(self) -> timedelta:
        return self.end - self.start

    def hold_is_live(self, now: datetime) -> bool:
        """Held, and the hold's time is not up: the slot is still this learner's to pay for."""
        return self.status == self.Status.HELD and self.hold_expires_at is not None and self.hold_expires_at > now

    def hold_has_lapsed(self, now: datetime) -> bool:
        """Released (expired) or held past its time: the learner may hold the same time again."""
        return self.status == self.Status.EXPIRED or (self.status == self.Status.HELD and not self.hold_is_live(now))

    @property
    def was_paid(self) -> bool:
        """Confirmed at some point (paid): anything but a hold or a hold that lapsed."""
        return self.status not in (self.Status.HELD, self.Status.EXPIRED)

    @property
    def expert_zone(self) -> str:
        """The expert's zone: their profile's, the one their weekly hours are written in.

        Read through ``expert__expert_profile`` (select it with the booking).
        """
        profile = getattr(self.expert, "expert_profile", None)
        return (profile.time_zone if profile is not None else "") or "UTC"

    @property
    def learner_zone(self) -> str:
        return self.learner.time_zone or "UTC"

    def zone_of(self, user) -> str:
        """The zone ``user`` (one of the two participants) sees this session in."""
        return self.learner_zone if user.pk == self.learner_id else self.expert_zone

    @property
    def join_opens_at(self) -> datetime:
        """The video room is reachable from a few minutes before the start (``BOOKING_JOIN_EARLY_MINUTES``)."""
        return self.start - timedelta(minutes=settings.BOOKING_JOIN_EARLY_MINUTES)

    def is_joinable(self, now: datetime) -> bool:
        """A confirmed session, from ``join_opens_at`` until its end."""
        return self.status == self.Status.CONFIRMED and self.join_opens_at <= now < self.end

    def is_upcoming(self, now: datetime) -> bool:
        return self.status == self.Status.CONFIRMED and self.end > now

    @property
    def reference(self) -> str:
        """Our stable id for this booking in payments, invites and rooms."""
        return f"booking-{self.pk}"
