"""Whether an expert's weekly hours fall in the learner's preferred times, said in words.

Weekly hours live in the expert's zone; the learner's "mornings / afternoons / evenings /
weekends" are in theirs. Each window of the current week is walked in half-hour steps, converted
to the learner's zone, and the first step in a wanted part of the week names the reason
("free on Tuesday evenings"). Windows are at most a day, so this is at most 48 steps a window.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _

STEP = timedelta(minutes=30)


def _part(moment: datetime) -> str:
    if moment.hour < 12:
        return "morning"
    return "afternoon" if moment.hour < 17 else "evening"


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ValueError, KeyError):
        return ZoneInfo("UTC")


def times_reason(*, hours: Iterable, expert_zone: str, learner_zone: str, wanted: list[str], now=None) -> str:
    wanted_set = set(wanted)
    if not wanted_set:
        return ""
    there, here = _zone(expert_zone), _zone(learner_zone)
    today = (now or timezone.now()).astimezone(there).date()
    monday = today - timedelta(days=today.weekday())
    for window in hours:
        day = monday + timedelta(days=window.weekday)
        moment = datetime.combine(day, window.start, tzinfo=there)
        end = datetime.combine(day, window.end, tzinfo=there)
        while moment < end:
            local = moment.astimezone(here)
            if local.weekday() >= 5 and "weekend" in wanted_set:
                return _("free at weekends")
            part = _part(local)
            if local.weekday() < 5 and part in wanted_set:
                name = WEEKDAYS[local.weekday()]
                if part == "morning":
                    return _("free on %(day)s mornings") % {"day": name}
                if part == "afternoon":
                    return _("free on %(day)s afternoons") % {"day": name}
                return _("free on %(day)s evenings") % {"day": name}
            moment += STEP
    return ""
