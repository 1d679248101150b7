"""Template tags every app's templates share: money, JSON-LD, query strings, fragment versions."""

from __future__ import annotations

import json
import secrets
from typing import Any

from django import template
from django.conf import settings
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from core.money import Money
from core.page_cache import page_version

register = template.Library()

# The same escapes as Django's json_script: "</script>" inside a string cannot end the element.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def money(value: Money) -> str:
    """Format a ``Money`` in the active language. A bare number has no currency, so it is refused loudly."""
    if not isinstance(value, Money):
        raise TypeError(f"The money filter needs a Money value with a currency, not {type(value).__name__}.")
    return value.format()


@register.filter
def json_ld(value: Any) -> SafeString:
    """One JSON-LD object in a ``<script type="application/ld+json">``: browsers never run it, so CSP allows it."""
    payload = json.dumps(value, ensure_ascii=False, separators=(",", ":")).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))  # noqa: S308


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters replaced (``None`` or "" removes one)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag(takes_context=True)
def fragment_version(context) -> str:
    """``{% fragment_version as version %}``: what a ``{% cache %}`` fragment of a public page varies on
    besides its own inputs: the page cache's tokens for the path (core.page_cache.page_version), the
    language and the time zone. The fragment goes whenever the page cache would drop the page."""
    request = context.get("request")
    if request is None or getattr(request, "is_preview", False) or not settings.PAGE_FRAGMENT_CACHE:
        return secrets.token_hex(8)  # a preview shows a draft (or fragments are off): never shared, never reused
    return f"{page_version(request)}:{translation.get_language()}:{timezone.get_current_timezone_name()}"
