from django.apps import AppConfig


class CmsPagesConfig(AppConfig):
    name = "cms_pages"
    verbose_name = "Site pages"

    def ready(self) -> None:
        # Connects the receivers that drop cached site settings when they are saved.
        from . import selectors  # noqa: F401
        from .exports import SafeSubmissionsListView
        from .models import FormPage

        # Submissions exported to CSV open as text, never as formulas (see cms_pages.exports).
        FormPage.submissions_list_view_class = SafeSubmissionsListView

        from . import privacy

        privacy.register()

        from . import renditions

        # A saved image gets every public rendition made by a job, not by its first visitor.
        renditions.connect()
