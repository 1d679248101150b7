from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    """The learner's journey: onboarding, goals and milestones, skill levels, progress and history.

    Above ``bookings`` and ``reviews`` (it reads sessions and the ratings given) and below the
    interfaces (docs/decisions.md 180). Nothing below imports it: accounts asks it where a new
    learner starts through ``accounts.first_run``, and billing's review page shows its goal picker
    through a template tag.
    """

    name = "learning"
    verbose_name = _("Learning")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from accounts.first_run import first_run_redirects

        from .selectors import onboarding_redirect

        if onboarding_redirect not in first_run_redirects:
            first_run_redirects.append(onboarding_redirect)

        from . import privacy

        privacy.register()

        from . import receivers

        receivers.connect()

        from marketplace.browse.personal import personal_rankers

        from .recommendations import ranked_page_ids

        if ranked_page_ids not in personal_rankers:
            personal_rankers.append(ranked_page_ids)
