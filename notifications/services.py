"""Email delivery. Domain apps hand over a template name and context; this
module knows nothing of bookings or experts.

Each message is three templates under ``templates/email/``: ``<name>_subject.txt``,
``<name>.txt`` and ``<name>.html`` (the HTML one extends ``email/base.html``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from core.base_url import public_url


def email_render(*, template: str, context: dict[str, Any], language: str | None = None) -> tuple[str, str, str]:
    """Return (subject, text, html) for a message, in the recipient's language."""
    full_context = {"base_url": public_url(), "site_name": settings.WAGTAIL_SITE_NAME, **context}
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"email/{template}_subject.txt", full_context).split())
        text = render_to_string(f"email/{template}.txt", full_context)
        html = render_to_string(f"email/{template}.html", full_context)
    return subject, text, html


def email_send(
    *,
    to: str | Sequence[str],
    template: str,
    context: dict[str, Any],
    language: str | None = None,
    attachments: Sequence[tuple[str, bytes, str]] = (),
) -> None:
    subject, text, html = email_render(template=template, context=context, language=language)
    recipients = [to] if isinstance(to, str) else list(to)
    message = EmailMultiAlternatives(subject=subject, body=text, to=recipients)
    message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    message.send()
