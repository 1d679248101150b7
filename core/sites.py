"""The Sites framework's current site follows ``settings.BASE_URL`` (see ``core.base_url``).

allauth's plain-text mails name ``current_site.domain``; ``site_domain_sync``
runs after every migrate (``CoreConfig.ready``), so deploys and ``make run``
keep it in step with the address the site is really served on.
"""

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.contrib.sites.management import create_default_site
from django.contrib.sites.models import Site

from .base_url import public_netloc


def site_domain_sync(*, using: str = "default") -> bool:
    """Give the current site ``BASE_URL``'s host (and port) and the site name; returns whether it changed."""
    if not Site.objects.using(using).exists():
        # Django's own creator also moves PostgreSQL's id sequence past the row it writes.
        create_default_site(apps.get_app_config("sites"), verbosity=0, using=using)
    domain, name = public_netloc(), settings.WAGTAIL_SITE_NAME
    site = Site.objects.using(using).filter(pk=settings.SITE_ID).first()
    if site is None or (site.domain, site.name) == (domain, name):
        return False
    site.domain, site.name = domain, name
    site.save(using=using, update_fields=["domain", "name"])
    Site.objects.clear_cache()
    return True


def site_domain_sync_after_migrate(sender, using: str = "default", **kwargs) -> None:  # noqa: ANN001
    """``post_migrate`` receiver: once the sites app has migrated, align the current site's domain."""
    if getattr(sender, "label", None) == "sites":
        site_domain_sync(using=using)
