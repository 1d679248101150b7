"""What each person wants to be told, and how. Knows no domain: a reminder is a reminder of anything."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NotificationPreference(models.Model):
    """A person's channel choices. No row: the defaults (every channel on)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, primary_key=True, on_delete=models.CASCADE, related_name="notification_preference"
    )
    reminder_email = models.BooleanField(
        _("Email reminders"), default=True, help_text=_("An email 24 hours and 1 hour before each session.")
    )
    reminder_in_app = models.BooleanField(
        _("Reminders on my dashboard"),
        default=True,
        help_text=_("A notice on your dashboard when a session starts within 24 hours."),
    )
    reminder_sms = models.BooleanField(
        _("Text message reminders"),
        default=False,
        help_text=_("A text message to your verified mobile number 1 hour before each session."),
    )
    # Marketing emails (news, offers) are opt-in, separate from everything a booking needs;
    # every such email carries a one-click unsubscribe (notifications.marketing).
    marketing_email = models.BooleanField(
        _("News and offers by email"),
        default=False,
        help_text=_("Now and then: new experts and offers. Unsubscribe from any of these emails in one click."),
    )
    marketing_email_changed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Notification preferences of user {self.user_id}"


class PhoneNumber(models.Model):
    """A person's mobile number (E.164), verified only once they entered the code texted to it.

    One per person. Changing it clears ``verified_at``; a number the SMS
    provider refuses for good (invalid, not mobile, unsubscribed) is marked
    unverified too, with the provider's error code in ``failure_code``.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, primary_key=True, on_delete=models.CASCADE, related_name="phone_number"
    )
    number = models.CharField(_("mobile number"), max_length=16)
    verified_at = models.DateTimeField(null=True, blank=True)
    failure_code = models.CharField(max_length=16, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(number__regex=r"^\+[1-9][0-9]{6,14}$"), name="phone_is_e164")
        ]

    def __str__(self) -> str:
        return f"Phone of user {self.user_id} ({'verified' if self.is_verified else 'unverified'})"

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None


class PhoneVerification(models.Model):
    """One code texted to one number for one person. Only a keyed hash of the code is stored.

    Usable while unused, before ``expires_at`` and under the try limit; the
    rows are also the count behind the resend limits (per person and per
    number), so they are kept for a day after use.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="phone_verifications")
    number = models.CharField(max_length=16)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(db_index=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["number", "created_at"], name="phone_verification_number")]

    def __str__(self) -> str:
        return f"Phone verification {self.pk} of user {self.user_id}"


class SmsDelivery(models.Model):
    """Every text we tried to send, with the provider's answer: its message id, or its error."""

    class Status(models.TextChoices):
        SENT = "sent", _("Handed to the provider")
        REFUSED = "refused", _("Refused by the provider")
        UNAVAILABLE = "unavailable", _("Provider unavailable")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="sms_deliveries"
    )
    to = models.CharField(max_length=16)
    purpose = models.CharField(max_length=40)
    status = models.CharField(max_length=12, choices=Status.choices)
    provider = models.CharField(max_length=16)
    provider_message_id = models.CharField(max_length=64, blank=True)
    error_code = models.CharField(max_length=16, blank=True)
    error_message = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name_plural = "SMS deliveries"

    def __str__(self) -> str:
        return f"SMS {self.purpose} to user {self.user_id}: {self.status}"


class Announcement(models.Model):
    """A message from staff shown on dashboards between ``starts_at`` and ``ends_at`` until each person
    dismisses it, and optionally emailed once to each person of its audience (notifications.announcements).

    The body is plain text: templates escape it and keep its line breaks. A category's experts are
    named by ``category_id`` (the catalogue's category, which notifications cannot import; the
    catalogue registers how to find its experts)."""

    class Audience(models.TextChoices):
        EVERYONE = "everyone", _("Everyone")
        LEARNERS = "learners", _("Learners (people who are not experts)")
        EXPERTS = "experts", _("Experts")
        CATEGORY_EXPERTS = "category", _("The experts of one category")

    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(_("body"), max_length=2000, help_text=_("Plain text; line breaks are kept."))
    audience = models.CharField(_("audience"), max_length=10, choices=Audience.choices, default=Audience.EVERYONE)
    category_id = models.PositiveIntegerField(_("category"), null=True, blank=True)
    starts_at = models.DateTimeField(_("shown from"), default=timezone.now)
    ends_at = models.DateTimeField(_("shown until"), null=True, blank=True, help_text=_("Empty: until dismissed."))
    send_email = models.BooleanField(
        _("also email it"),
        default=False,
        help_text=_("Emailed once to each person of the audience who accepts news by email, in their language."),
    )
    emailed_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_at", "-pk"]
        indexes = [models.Index(fields=["starts_at", "ends_at"], name="announcement_window")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__isnull=True) | models.Q(ends_at__gt=models.F("starts_at")),
                name="announcement_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(audience="category", category_id__isnull=False)
                | (~models.Q(audience="category") & models.Q(category_id__isnull=True)),
                name="announcement_category_iff_category_audience",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class AnnouncementDismissal(models.Model):
    """One person closed one announcement: it is not shown to them again."""

    announcement = models.ForeignKey(Announcement, on_delete=models.CASCADE, related_name="dismissals")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    dismissed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["announcement", "user"], name="announcement_dismissed_once")]

    def __str__(self) -> str:
        return f"Announcement {self.announcement_id} dismissed by user {self.user_id}"


class AnnouncementEmail(models.Model):
    """The announcement was emailed to this person: the unique pair makes it exactly once."""

    announcement = models.ForeignKey(Announcement, on_delete=models.CASCADE, related_name="emails")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["announcement", "user"], name="announcement_emailed_once")]

    def __str__(self) -> str:
        return f"Announcement {self.announcement_id} emailed to user {self.user_id}"
