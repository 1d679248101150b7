"""Template tags every app's templates share: money, JSON-LD and query strings."""

from __future__ import annotations

import json
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from core.money import Money

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
