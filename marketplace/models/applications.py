"""Expert applications: the draft an applicant fills in step by step, its private
documents, its history, and the public verification record written at approval.

Flow: draft → submitted → in_review → approved | rejected | changes_requested
(→ submitted again when the applicant answers). One *open* application per user
is a database constraint; approved and rejected ones are kept as history.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from accounts.validators import validate_time_zone

from ..storage import private_storage


class ExpertApplication(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        IN_REVIEW = "in_review", _("In review")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    # Statuses an applicant cannot leave by themselves; everything else is "open".
    CLOSED_STATUSES = (Status.APPROVED, Status.REJECTED)
    # Waiting for a reviewer (the staff queue).
    WAITING_STATUSES = (Status.SUBMITTED, Status.IN_REVIEW)

    class Step(models.IntegerChoices):
        NONE = 0, _("Not started")
        ABOUT = 1, _("About you")
        EXPERTISE = 2, _("Expertise")
        OFFER = 3, _("Your offer")
        CREDENTIALS = 4, _("Credentials")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applicant"),
        on_delete=models.CASCADE,
        related_name="expert_applications",
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    # The last step the applicant completed (saved); the form resumes after it.
    step = models.PositiveSmallIntegerField(_("last completed step"), choices=Step.choices, default=Step.NONE)

    # About you.
    headline = models.CharField(_("headline"), max_length=120, blank=True)
    bio = models.TextField(_("bio"), max_length=4000, blank=True)
    # Private until approval: re-encoded on upload (metadata stripped), copied into
    # the public page's image by the approval service.
    photo = models.ImageField(_("photo"), storage=private_storage, upload_to="applications/photos/", blank=True)
    languages = models.ManyToManyField("marketplace.Language", verbose_name=_("languages"), blank=True)
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True, validators=[validate_time_zone])
    # A list of absolute http(s) URLs (validated by the form).
    links = models.JSONField(_("links"), default=list, blank=True)

    # Expertise: top-level categories and their subcategories (child categories).
    categories = models.ManyToManyField("marketplace.Category", verbose_name=_("categories"), blank=True)
    skills = models.JSONField(_("skills"), default=list, blank=True)
    years_experience = models.PositiveSmallIntegerField(
        _("years of experience"), null=True, blank=True, validators=[MaxValueValidator(70)]
    )

    # The offer, validated by the form and the submit service:
    # {"currency": "EUR", "sessions": [{"minutes": 60, "price": "80.00"}],
    #  "packages": [{"sessions": 5, "minutes": 60, "price": "350.00"}]}
    offer = models.JSONField(_("offer"), default=dict, blank=True)

    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The reviewer's change request or rejection reason, shown to the applicant.
    decision_message = models.TextField(_("message to the applicant"), blank=True)

    # Review claim: who holds the application, since when.
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("expert application")
        verbose_name_plural = _("expert applications")
        ordering = ["-created_at", "-pk"]
        permissions = [("review_expertapplication", _("Can review expert applications"))]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=~Q(status__in=["approved", "rejected"]),
                name="marketplace_one_open_application",
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=["draft", "submitted", "in_review", "changes_requested", "approved", "rejected"]
                ),
                name="marketplace_application_status_known",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False),
                name="marketplace_application_submitted_at",
            ),
        ]
        indexes = [
            # The staff queue: waiting applications by waiting time.
            models.Index(fields=["status", "submitted_at"], name="mkt_application_queue"),
            models.Index(fields=["status", "updated_at"], name="mkt_application_status_upd"),
            models.Index(fields=["status", "created_at"], name="mkt_application_status_created"),
        ]

    def __str__(self) -> str:
        return f"Application {self.pk} by {self.user} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status not in self.CLOSED_STATUSES

    @property
    def is_editable(self) -> bool:
        """The applicant may change the answers (a draft, or when asked for changes)."""
        return self.status in (self.Status.DRAFT, self.Status.CHANGES_REQUESTED)


class ApplicationDocument(models.Model):
    class Kind(models.TextChoices):
        IDENTITY = "identity", _("Identity document")
        CERTIFICATE = "certificate", _("Certificate")
        DIPLOMA = "diploma", _("Diploma")
        PORTFOLIO = "portfolio", _("Portfolio")

    class CheckStatus(models.TextChoices):
        PENDING = "pending", _("Not checked yet")
        VERIFIED = "verified", _("Verified")
        EXPIRED = "expired", _("Expired")
        UNREADABLE = "unreadable", _("Unreadable")

    application = models.ForeignKey(ExpertApplication, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=120)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    # Only ever written by the upload service after the content checks passed.
    file = models.FileField(_("file"), storage=private_storage, upload_to="applications/documents/", max_length=200)
    content_type = models.CharField(_("content type"), max_length=40)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    check_status = models.CharField(_("check"), max_length=20, choices=CheckStatus.choices, default=CheckStatus.PENDING)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("application document")
        verbose_name_plural = _("application documents")
        ordering = ["uploaded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(content_type__in=["application/pdf", "image/jpeg", "image/png"]),
                name="marketplace_document_type_allowed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class ApplicationEvent(models.Model):
    """One line of an application's history: who did what, when (the decision log)."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Started")
        SUBMITTED = "submitted", _("Submitted")
        CLAIMED = "claimed", _("Claimed for review")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        ANSWERED = "answered", _("Changes answered")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        NOTE = "note", _("Reviewer note")
        DOCUMENT_CHECKED = "document_checked", _("Document checked")

    application = models.ForeignKey(ExpertApplication, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    message = models.TextField(_("message"), blank=True)
    # Reviewer notes and document checks are for staff only; the applicant's
    # history shows the rest.
    private = models.BooleanField(_("staff only"), default=False)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("application event")
        verbose_name_plural = _("application events")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["application", "created_at"], name="mkt_application_event_at")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on application {self.application_id}"


class ExpertVerification(models.Model):
    """What the platform checked about an expert, shown on the public page — never the
    document itself. Rows whose ``expires_on`` has passed are hidden."""

    class Kind(models.TextChoices):
        IDENTITY = "identity", _("Identity")
        CREDENTIAL = "credential", _("Credential")

    profile = models.ForeignKey("marketplace.ExpertProfile", on_delete=models.CASCADE, related_name="verifications")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=120)
    verified_at = models.DateTimeField(_("verified at"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    source_document = models.ForeignKey(
        ApplicationDocument, null=True, blank=True, on_delete=models.SET_NULL, related_name="verifications"
    )

    class Meta:
        verbose_name = _("expert verification")
        verbose_name_plural = _("expert verifications")
        ordering = ["kind", "title"]
        indexes = [models.Index(fields=["profile", "expires_on"], name="mkt_verification_profile")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"


@register_setting(icon="user")
class ApplicationSettings(BaseGenericSetting):
    """Expert application knobs staff change in the Wagtail admin (Settings → Expert applications).

    A catalogue setting rather than a field on billing's PlatformSettings: the
    catalogue sits below billing and may not read it (docs/decisions.md).
    """

    application_cooloff_days = models.PositiveSmallIntegerField(
        _("cooling-off after a rejection (days)"),
        default=30,
        validators=[MaxValueValidator(3650)],
        help_text=_("How long a rejected applicant waits before applying again."),
    )

    class Meta:
        verbose_name = _("Expert applications")

    def __str__(self) -> str:
        return "Expert application settings"
