"""The accounts app's own part of a person's data (registered in ``AccountsConfig.ready``).

Besides our ``User`` and ``ApiToken`` it covers what the libraries below us keep per
person: allauth's email addresses and authenticators (exported as type and dates,
never their secrets), Wagtail's admin profile, comments, subscriptions, editing
sessions and API tokens, and the data requests themselves.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from allauth.usersessions.models import UserSession
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import models
from django.utils import timezone
from wagtail.admin.models import EditingSession
from wagtail.models import Comment, CommentReply, ModelLogEntry, PageSubscription
from wagtail.users.models import UserProfile

from notifications import privacy as notifications_privacy

from . import privacy
from .models import ApiToken, DataRequest, KnownDevice, User

try:  # Wagtail's admin autosave (FormState) exists from Wagtail 7.
    from wagtail.admin.models import FormState
except ImportError:  # pragma: no cover
    FormState = None

try:
    from wagtail.models import APIToken as WagtailApiToken
except ImportError:  # pragma: no cover
    WagtailApiToken = None


def _account(user: User) -> Iterator[dict[str, Any]]:
    yield {
        "id": user.pk,
        "email": user.email,
        "full_name": user.full_name,
        "time_zone": user.time_zone,
        "preferred_language": user.preferred_language,
        "is_expert": user.is_expert,
        "is_staff": user.is_staff,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
    }


def export(*, user: User) -> dict[str, Any]:
    return {
        "account": _account(user),
        "email_addresses": EmailAddress.objects.filter(user=user).values("email", "verified", "primary").iterator(),
        # Second factors: which kinds and when, never the secrets.
        "second_factors": Authenticator.objects.filter(user=user)
        .values("type", "created_at", "last_used_at")
        .iterator(),
        "api_tokens": ApiToken.objects.filter(user=user)
        .values("name", "prefix", "scopes", "created_at", "last_used_at", "revoked_at")
        .iterator(),
        "data_requests": DataRequest.objects.filter(subject=user)
        .values("kind", "status", "created_at", "due_at", "completed_at")
        .iterator(),
        "admin_comments": Comment.objects.filter(user=user).values("text", "created_at", "page_id").iterator(),
        "admin_comment_replies": CommentReply.objects.filter(user=user).values("text", "created_at").iterator(),
        # Google or LinkedIn sign-in: which provider and when; never the tokens.
        "linked_sign_ins": SocialAccount.objects.filter(user=user)
        .values("provider", "uid", "date_joined", "last_login")
        .iterator(),
        "devices": KnownDevice.objects.filter(user=user).values("label", "first_seen_at", "last_seen_at").iterator(),
        "signed_in_sessions": UserSession.objects.filter(user=user)
        .values("ip", "user_agent", "created_at", "last_seen_at")
        .iterator(),
    }


def _sessions_end(user: User) -> None:
    """Database sessions of ``user`` (the password change below also invalidates any other engine's)."""
    wanted = str(user.pk)
    stale = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.get_decoded().get("_auth_user_id") == wanted
    ]
    Session.objects.filter(pk__in=stale).delete()


def erase(*, user: User, pseudonym: str) -> None:
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    SocialAccount.objects.filter(user=user).delete()  # its tokens go with it
    KnownDevice.objects.filter(user=user).delete()
    UserSession.objects.filter(user=user).delete()
    ApiToken.objects.filter(user=user).delete()
    Comment.objects.filter(user=user).delete()
    CommentReply.objects.filter(user=user).delete()
    PageSubscription.objects.filter(user=user).delete()
    EditingSession.objects.filter(user=user).delete()
    if FormState is not None:
        FormState.objects.filter(user=user).delete()
    if WagtailApiToken is not None:
        WagtailApiToken.objects.filter(user=user).delete()
    profile = UserProfile.objects.filter(user=user).first()
    if profile is not None:
        if profile.avatar:
            profile.avatar.delete(save=False)
        profile.delete()
    DataRequest.objects.filter(subject=user).update(identity_check="")
    # Audit entries about the user keep their action and date; the label (their name then) goes.
    ModelLogEntry.objects.filter(content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk)).update(
        label=pseudonym, data={}
    )
    _sessions_end(user)
    user.groups.clear()
    user.user_permissions.clear()
    user.set_unusable_password()  # also ends every signed-in session: their auth hash no longer matches
    User.objects.filter(pk=user.pk).update(
        email=pseudonym,
        full_name="Erased user",
        password=user.password,
        time_zone="UTC",
        is_active=False,
        is_staff=False,
        is_superuser=False,
        is_expert=False,
    )
    user.refresh_from_db()


MODELS: tuple[type[models.Model], ...] = tuple(
    model
    for model in (
        User,
        ApiToken,
        DataRequest,
        EmailAddress,
        Authenticator,
        SocialAccount,
        KnownDevice,
        UserSession,
        UserProfile,
        Comment,
        CommentReply,
        PageSubscription,
        EditingSession,
        FormState,
        WagtailApiToken,
    )
    if model is not None
)


def register() -> None:
    privacy.register("accounts", export=export, erase=erase, models=MODELS)
    # notifications sits below accounts and cannot import the registry: its part is registered here.
    privacy.register(
        "notifications",
        export=notifications_privacy.export,
        erase=notifications_privacy.erase,
        models=notifications_privacy.MODELS,
    )
