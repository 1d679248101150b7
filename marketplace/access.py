"""Who may use the expert area, and the signed-in expert's own profile.

Every object in the expert area is looked up through the signed-in expert's own
profile, so another expert's ids answer 404 rather than 403: the URL space
reveals nothing. ``bookings`` uses the same two helpers for its expert screens.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import ExpertProfile


class NotAnExpert(PermissionDenied):
    """A signed-in learner asked for the expert area: the 403 page says how to become an expert."""

    # (site path, label): the 403 page links there, in the visitor's language.
    next_step = ("/join/apply/", gettext_lazy("Apply as an expert"))


def expert_required(view: Callable) -> Callable:
    """Signed in (else the login page) and an approved expert (else 403 with a link to how to join)."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_expert:
            raise NotAnExpert(
                _(
                    "The expert area is for approved experts. To become one, apply online; once your "
                    "application is approved, your account opens the expert area."
                )
            )
        return view(request, *args, **kwargs)

    return wrapper


def own_profile(request: HttpRequest) -> ExpertProfile:
    """The signed-in expert's profile; 404 while it is still being set up."""
    profile = ExpertProfile.objects.filter(user=request.user).first()
    if profile is None:
        raise Http404(_("Your expert profile is still being set up."))
    return profile
