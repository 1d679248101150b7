"""Template tags of the catalogue's cards and expert pages."""

from datetime import UTC
from decimal import Decimal
from zoneinfo import ZoneInfo

from django import template
from django.utils import dateformat, timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.images.models import Filter

register = template.Library()


@register.filter
def stars(value) -> str:
    """A rating as text, e.g. 4.8 → "4.8"."""
    return f"{Decimal(value):.1f}"


@register.simple_tag(takes_context=True)
def next_free(context, profile) -> str:
    """The card line "Next free: Tue 3 Dec, 14:30 CET" in the viewer's zone, from the profile row.

    The zone is the page's ``viewer_zone`` (browse: ``?tz=``) or else the active
    one (the signed-in user's, see accounts.middleware; UTC for visitors). No
    query: ``next_available_at`` and ``horizon_days`` come with the card row. A
    value the clock has already passed waits for the schedule and shows nothing.
    """
    value = profile.next_available_at
    if value is None:
        days = profile.horizon_days
        text = ngettext("No free times in the next %(n)s day", "No free times in the next %(n)s days", days) % {
            "n": days
        }
        return format_html('<p class="expert-card__next expert-card__next--none">{}</p>', text)
    if value <= timezone.now():
        return ""
    zone_name = context.get("viewer_zone")
    zone = ZoneInfo(zone_name) if zone_name else timezone.get_current_timezone()
    when = format_html(
        '<time datetime="{}">{}</time>',
        value.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        dateformat.format(value.astimezone(zone), "D j M, H:i T"),
    )
    sentence = conditional_escape(_("Next free: %(time)s")) % {"time": when}
    return format_html('<p class="expert-card__next">{}</p>', mark_safe(sentence))  # noqa: S308


@register.simple_tag
def card_photo(image, spec: str, **attributes) -> str:
    """``{% image %}`` for cards, from the renditions the selector prefetched.

    Wagtail's tag writes every rendition it returns into the cache, prefetched
    or not: a dozen cache writes per browse page (a dozen Redis round trips in
    production) to store what is already in memory. This finds the prefetched
    rendition without writing, and falls back to ``get_rendition`` (which
    creates and caches it) when there is none yet. Same markup as ``{% image %}``.
    """
    rendition_filter = Filter(spec=spec)
    try:
        rendition = image.find_existing_rendition(rendition_filter)
    except image.get_rendition_model().DoesNotExist:
        rendition = image.get_rendition(rendition_filter)
    return rendition.img_tag(attributes)
