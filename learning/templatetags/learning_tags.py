"""``{% booking_goal_picker booking %}``: the optional "which goal does this session serve?" form.

Lower apps' templates (billing's review page) show it with one include line; the form posts to
learning's own view, so billing's view and form stay unchanged.
"""

from __future__ import annotations

from django import template

from ..forms import BookingGoalForm
from ..selectors import booking_goal_link

register = template.Library()


@register.inclusion_tag("learning/includes/booking_goal.html", takes_context=True)
def booking_goal_picker(context, booking) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or booking.learner_id != user.pk:
        return {"show": False}
    link = booking_goal_link(booking=booking)
    form = BookingGoalForm(learner=user, initial={"goal": link.goal_id if link else None})
    return {
        "show": True,
        "booking": booking,
        "form": form,
        "has_goals": form.fields["goal"].queryset.exists(),
        "next": request.get_full_path(),
    }
