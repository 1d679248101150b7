"""The review sections other apps' templates include: the expert page's reviews, the learner's invitations."""

from __future__ import annotations

from django import template
from django.utils import timezone
from django.utils.safestring import mark_safe

from ..selectors import learner_rate_invitations
from ..structured_data import expert_reviews_bundle

register = template.Library()


@register.simple_tag(takes_context=True)
def expert_reviews(context, profile):
    """The rating summary and a page of public reviews (``?reviews=<n>``): two queries whatever the count on
    a cache miss, none on a hit (reviews.structured_data)."""
    return mark_safe(expert_reviews_bundle(profile=profile, request=context.get("request"))["html"])  # noqa: S308 -- rendered by our template with autoescape


@register.inclusion_tag("reviews/includes/_rate_invitations.html", takes_context=True)
def rate_invitations(context):
    """The learner's sessions waiting for (or still open to) a review: one query."""
    request = context["request"]
    return {"invitations": learner_rate_invitations(learner=request.user, now=timezone.now())}
