from django.apps import AppConfig


class CmsPagesConfig(AppConfig):
    name = "cms_pages"
    verbose_name = "Site pages"

    def ready(self) -> None:
        # Connects the receivers that drop cached site settings when they are saved.
        from . import selectors  # noqa: F401
