"""Expert page views per day, counted by a first-party beacon (decision 283).

The expert page's ``static/js/profile-view.js`` posts once per page load with
``navigator.sendBeacon`` to ``/insights/views/<profile id>/``, after the page has rendered, so the
count costs the page nothing and works for page-cached copies too. Nothing personal is stored: no
cookie is set or read, no address is kept (the address only keys the short rate-limit window in the
cache), and a row is one number per expert and day, so no consent is needed. The endpoint is
CSRF-exempt because a beacon carries no token and the only effect is +1 on an aggregate; a client
is limited to ``LIMIT`` counts a minute.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from core.http import client_ip
from core.ratelimit import rate_limit_hit
from marketplace.models import ExpertPage, ExpertProfile

from .models import ProfileViewDay

LIMIT = 30


def profile_view_record(*, profile_id: int, day) -> None:
    if ProfileViewDay.objects.filter(profile_id=profile_id, day=day).update(views=F("views") + 1):
        return
    try:
        with transaction.atomic():
            ProfileViewDay.objects.create(profile_id=profile_id, day=day, views=1)
    except IntegrityError:  # another request created the day's row first
        ProfileViewDay.objects.filter(profile_id=profile_id, day=day).update(views=F("views") + 1)


@csrf_exempt
@require_POST
def profile_viewed(request: HttpRequest, profile_id: int) -> HttpResponse:
    live = ExpertPage.objects.live().filter(profile_id=profile_id, profile__status=ExpertProfile.Status.ACTIVE)
    if not live.exists():
        raise Http404
    if rate_limit_hit(scope="profile-view", key=client_ip(request), limit=LIMIT, window_seconds=60):
        return HttpResponse(status=429)
    profile_view_record(profile_id=profile_id, day=timezone.now().date())
    return HttpResponse(status=204)
