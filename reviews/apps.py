from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    """What learners say about a session: ratings, written reviews, replies and moderation.

    Its own app above ``bookings`` (it reads sessions) and beside ``billing``: the catalogue may not
    import bookings (docs/decisions.md). It writes the catalogue's rating aggregate and hands the
    expert page its reviews through the catalogue's structured-data registry.
    """

    name = "reviews"
    verbose_name = _("Reviews")

    def ready(self) -> None:
        from marketplace.structured_data import expert_jsonld_extensions

        from .structured_data import expert_reviews_jsonld

        expert_jsonld_extensions.append(expert_reviews_jsonld)

        from . import privacy

        privacy.register()
