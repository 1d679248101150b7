"""Messages in templates: safe message text, the header's unread badge, the expert page's question form."""

from __future__ import annotations

import re

from django import template
from django.utils.html import urlize
from django.utils.safestring import SafeString, mark_safe

from ..message_forms import QuestionForm
from ..selectors.messages import unread_total
from ..services.messages import questions_open

register = template.Library()

_REL = re.compile(r'rel="nofollow"')


@register.filter
def message_text(text: str) -> SafeString:
    """Plain text as HTML: everything escaped (no markup survives), http(s) links made clickable with
    ``rel="nofollow noopener noreferrer ugc"`` and opened as ordinary links, line breaks kept."""
    linked = urlize(text or "", trim_url_limit=60, nofollow=True, autoescape=True)
    linked = _REL.sub('rel="nofollow noopener noreferrer ugc"', linked)
    return mark_safe(linked.replace("\n", "<br>"))  # noqa: S308 - urlize escaped the text; only <a> and <br> are ours


@register.inclusion_tag("bookings/includes/messages_badge.html", takes_context=True)
def messages_badge(context) -> dict:
    """The header's link to the inbox with the number of unread messages (one query, signed-in only)."""
    user = context.get("user")
    return {"unread": unread_total(user=user) if user is not None else 0}


@register.inclusion_tag("bookings/includes/ask_question.html", takes_context=True)
def ask_question(context, profile, page) -> dict:
    """The expert page's short "ask a question" form, unless the expert turned questions off.

    Visitors who are signed out see the sign-in link without the switch being read: the public page
    (cached, and measured at 5,000 reviews) keeps its query count; after signing in, the form shows
    only where questions are open.
    """
    user = context.get("user")
    signed_in = user is not None and user.is_authenticated
    own_page = signed_in and user.pk == profile.user_id
    show = not own_page and (not signed_in or questions_open(profile=profile))
    return {"page": page, "user": user, "show": show, "form": QuestionForm()}
