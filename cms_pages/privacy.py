"""The public site's part of a person's data: contact and feedback submissions sent with their
email address (registered in ``ready``). Submissions have no link to an account, so they are
found by the address in their data; erasure deletes them (staff had them by email already)."""

from __future__ import annotations

from typing import Any

from django.db.models import TextField
from django.db.models.functions import Cast
from wagtail.contrib.forms.models import FormSubmission

from accounts import privacy


def _submissions_of(user) -> Any:
    return FormSubmission.objects.annotate(as_text=Cast("form_data", TextField())).filter(
        as_text__icontains=f'"{user.email}"'
    )


def export(*, user) -> dict[str, Any]:
    return {"form_submissions": _submissions_of(user).values("page_id", "form_data", "submit_time").iterator()}


def erase(*, user, pseudonym: str) -> None:
    FormSubmission.objects.filter(pk__in=_submissions_of(user).values("pk")).delete()


def register() -> None:
    privacy.register("cms_pages", export=export, erase=erase)
