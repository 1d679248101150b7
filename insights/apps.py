from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    """Platform statistics for staff (``/admin/statistics/``) and their reports.

    Its own app above ``billing`` and ``reviews``: the figures read users, sessions, money and
    ratings, which no lower app may import together. Daily figures are pre-aggregated into
    ``DailyFigure`` rows by a scheduled job; today's are computed live by the same code.
    """

    name = "insights"
    verbose_name = _("Insights")
