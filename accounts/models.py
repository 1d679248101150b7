"""The user: email is the login; roles are learner (everyone), expert and staff."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .validators import validate_full_name, validate_time_zone


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username: str | None) -> User:
        # Addresses are stored lower-cased; match logins case-insensitively too.
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, validators=[validate_full_name])
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="UTC",
        validators=[validate_time_zone],
        help_text=_("Session times are shown in this zone."),
    )
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    # Set by the marketplace when an expert application is approved; accounts
    # itself knows nothing of experts beyond this flag.
    is_expert = models.BooleanField(_("expert"), default=False)
    is_staff = models.BooleanField(_("staff status"), default=False, help_text=_("Staff can use the admin."))
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    @property
    def is_learner(self) -> bool:
        """Every account can book sessions."""
        return True

    @property
    def first_name(self) -> str:
        # Wagtail's admin and allauth's templates greet users by first name.
        return self.full_name.split(" ", 1)[0] if self.full_name else ""

    @property
    def last_name(self) -> str:
        parts = self.full_name.split(" ", 1)
        return parts[1] if len(parts) > 1 else ""

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.first_name

    @property
    def home_url(self) -> str:
        """Where this user lands after signing in."""
        if self.is_staff:
            return "/admin/"
        if self.is_expert:
            return "/expert/"
        return "/dashboard/"


class ApiToken(models.Model):
    """A personal access token for the API (``Authorization: Bearer tt_…``), made and revoked by its user.

    Only the SHA-256 of the secret is stored: the token is shown once, when it
    is made. It is 32 random bytes, so a fast hash is enough (no password
    stretching needed). ``prefix`` (the first characters) tells tokens apart in
    the list. Scopes limit what the token may do (``SCOPES``); a revoked token
    is kept for the record and refused.
    """

    SCOPES = (
        ("read", _("Read your account and bookings")),
        ("book", _("Hold, pay and cancel bookings")),
        ("expert", _("Manage your expert profile, offerings, hours and sessions")),
    )

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="personal_api_tokens")
    name = models.CharField(_("name"), max_length=80)
    prefix = models.CharField(max_length=16)
    secret_hash = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class DataRequest(models.Model):
    """One data-subject request (GDPR art. 15/20 export, art. 17 erasure), asked by the person or by staff.

    Every request is kept as the record that it was made and what became of it;
    after an erasure ``subject`` points at the pseudonymised user row. At most one
    export and one erasure per person are open at a time (database constraints).
    """

    class Kind(models.TextChoices):
        EXPORT = "export", _("Export")
        ERASE = "erase", _("Erasure")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")  # export queued; erasure waiting out its grace period
        RUNNING = "running", _("Running")
        READY = "ready", _("Ready to download")  # export built and emailed
        DONE = "done", _("Done")  # erasure carried out
        EXPIRED = "expired", _("Expired")  # export file deleted after its link expired
        CANCELLED = "cancelled", _("Cancelled")
        FAILED = "failed", _("Failed")

    OPEN = (Status.PENDING, Status.RUNNING)

    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_requests", verbose_name=_("person")
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    identity_check = models.TextField(
        _("identity check notes"),
        blank=True,
        help_text=_("How staff confirmed the person's identity (for requests made on someone's behalf)."),
    )
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)  # erasure: end of the grace period
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("link expires at"), null=True, blank=True)
    file_name = models.CharField(max_length=200, blank=True)  # in private storage
    file_size = models.PositiveBigIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("data request")
        verbose_name_plural = _("data requests")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "kind"],
                condition=models.Q(status__in=["pending", "running"]),
                name="accounts_one_open_data_request_per_kind",
            )
        ]
        indexes = [models.Index(fields=["kind", "status", "due_at"], name="accounts_datareq_due")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN


class KnownDevice(models.Model):
    """A browser-and-system pair a user has signed in from (``accounts.devices``): a new one is emailed once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="known_devices")
    fingerprint = models.CharField(max_length=64)
    label = models.CharField(max_length=120)
    first_seen_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("known device")
        constraints = [
            models.UniqueConstraint(fields=["user", "fingerprint"], name="accounts_knowndevice_user_fingerprint"),
        ]

    def __str__(self) -> str:
        return self.label
