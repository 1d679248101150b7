"""The self-assessed skill levels, each with the one line a learner reads before choosing it."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.IntegerChoices):
    BEGINNER = 1, _("Beginner")
    INTERMEDIATE = 2, _("Intermediate")
    ADVANCED = 3, _("Advanced")
    EXPERT = 4, _("Expert")


LEVEL_DESCRIPTIONS = {
    Level.BEGINNER: _("New to it: you know a few words and want the basics explained."),
    Level.INTERMEDIATE: _("You use it now and then and can follow along, but get stuck on your own."),
    Level.ADVANCED: _("You use it regularly and solve most problems; you want depth and shortcuts."),
    Level.EXPERT: _("You could teach it; you want a peer to challenge your thinking."),
}


class TimeOfDay(models.TextChoices):
    MORNING = "morning", _("Mornings (before 12:00)")
    AFTERNOON = "afternoon", _("Afternoons (12:00–17:00)")
    EVENING = "evening", _("Evenings (after 17:00)")
    WEEKEND = "weekend", _("Weekends")


SESSION_LENGTHS = [(30, _("30 minutes")), (45, _("45 minutes")), (60, _("60 minutes")), (90, _("90 minutes"))]

# At most this many active goals: a short list a learner can keep in mind (issue 18: one to three).
MAX_ACTIVE_GOALS = 3
MAX_MILESTONES_PER_GOAL = 20
GOAL_TITLE_MAX = 160
MILESTONE_TITLE_MAX = 160
