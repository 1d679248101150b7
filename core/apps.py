from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    """The shared kernel. It imports no project app; the apps import it."""

    name = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from . import page_cache
        from .outage import connection_created_receive
        from .schedules import schedules_sync_after_migrate
        from .sites import site_domain_sync_after_migrate

        # After every migrate (tests included), django-q2's schedules match SCHEDULES.
        post_migrate.connect(schedules_sync_after_migrate, dispatch_uid="core_schedules_sync")
        # ...and the Sites framework's domain is BASE_URL's (allauth's mails name it).
        post_migrate.connect(site_domain_sync_after_migrate, dispatch_uid="core_site_domain_sync")
        # A connection that succeeds again ends a database outage (logged once each way).
        connection_created.connect(connection_created_receive, dispatch_uid="core_outage_over")
        # Publishing, unpublishing and moving pages purge the page cache and the CDN (core.page_cache).
        page_cache.connect()
