"""Create (or bring back in line) the operations console's staff groups: least privilege per job.

``manage.py ops_groups`` is idempotent: each group ends with exactly the permissions listed here, so
running it again after a change (or after someone widened a group by hand) restores the design. A
permission that does not exist yet (its app not migrated) is reported and skipped, never invented.

Permissions are named by ``app_label.codename`` strings, so core imports no project app.

| Group | Sees | Acts |
|---|---|---|
| Content editors | pages, images, documents, snippets | edit and publish pages |
| Moderators | reported reviews and message threads, expert applications, session reports | moderate, review, decide |
| Support | sessions, people, data requests | cancel with refund, move, no-show; suspend, reset second factor; export or erase on someone's behalf; no money |
| Finance | payments, refunds, disputes, withdrawals, people (read) | read money, approve or reject withdrawals; never pages |
| Administrators | everything above | everything above; change people's roles (staff groups); feature flags; platform settings; announcements |
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand
from django.db import transaction
from wagtail.models import GroupPagePermission, Page

ACCESS_ADMIN = "wagtailadmin.access_admin"

CONTENT = [
    "wagtailimages.add_image",
    "wagtailimages.change_image",
    "wagtailimages.choose_image",
    "wagtaildocs.add_document",
    "wagtaildocs.change_document",
    "wagtaildocs.choose_document",
    "blog.add_blogauthor",
    "blog.change_blogauthor",
]
MODERATION = [
    "reviews.moderate_sessionreview",
    "marketplace.review_expertapplication",
    "bookings.decide_sessionreport",
    "bookings.moderate_thread",
]
SUPPORT = [
    "bookings.view_booking",
    "bookings.change_booking",
    "accounts.view_user",
    "accounts.change_user",
    # Data export and erasure requests made on someone's behalf (accounts.admin_privacy).
    "accounts.view_datarequest",
    "accounts.add_datarequest",
]
FINANCE = [
    "accounts.view_user",
    "billing.view_payment",
    "billing.view_ledgertransaction",
    "billing.view_ledgerentry",
    "billing.view_ledgeraccount",
    "billing.decide_withdrawal",
    # Platform statistics (/admin/statistics/): they include money, so finance and administrators only.
    "insights.view_dailyfigure",
]
# Handing out roles (accounts.roles) is handing out privileges: administrators only.
ROLES = "auth.change_group"
# Feature flags (core.flags_admin) are turned on by administrators.
FLAGS = ["waffle.view_flag", "waffle.add_flag", "waffle.change_flag"]
# Platform settings (Settings → Billing, Applications), every change logged (core.settings_audit).
PLATFORM_SETTINGS = ["billing.change_platformsettings", "marketplace.change_applicationsettings"]
# Announcements on dashboards and by email (notifications.announcements).
ANNOUNCEMENTS = [
    "notifications.view_announcement",
    "notifications.add_announcement",
    "notifications.change_announcement",
]
# Page permissions on the root of the tree (Wagtail's GroupPagePermission), content editors only.
PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page"]

GROUPS: dict[str, list[str]] = {
    "Content editors": [ACCESS_ADMIN, *CONTENT],
    "Moderators": [ACCESS_ADMIN, *MODERATION],
    "Support": [ACCESS_ADMIN, *SUPPORT],
    "Finance": [ACCESS_ADMIN, *FINANCE],
    "Administrators": [
        ACCESS_ADMIN,
        *CONTENT,
        *MODERATION,
        *SUPPORT,
        *FINANCE,
        "core.view_outboxmessage",
        ROLES,
        *FLAGS,
        *PLATFORM_SETTINGS,
        *ANNOUNCEMENTS,
    ],
}
PAGE_GROUPS = ("Content editors", "Administrators")


def _permission(dotted: str) -> Permission | None:
    app_label, codename = dotted.split(".", 1)
    return Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()


def ops_groups_ensure() -> dict[str, list[str]]:
    """Make every group hold exactly its permissions; returns the permissions that were missing."""

    missing: dict[str, list[str]] = {}
    root = Page.get_first_root_node()
    with transaction.atomic():
        for name, dotted_names in GROUPS.items():
            group, _created = Group.objects.get_or_create(name=name)
            permissions = []
            for dotted in dotted_names:
                permission = _permission(dotted)
                if permission is None:
                    missing.setdefault(name, []).append(dotted)
                else:
                    permissions.append(permission)
            group.permissions.set(permissions)
            page_permissions = GroupPagePermission.objects.filter(group=group)
            if name in PAGE_GROUPS and root is not None:
                wanted = list(
                    Permission.objects.filter(content_type__app_label="wagtailcore", codename__in=PAGE_PERMISSIONS)
                )
                page_permissions.exclude(page=root, permission__in=wanted).delete()
                for permission in wanted:
                    GroupPagePermission.objects.get_or_create(group=group, page=root, permission=permission)
            else:
                page_permissions.delete()
    return missing


class Command(BaseCommand):
    help = "Create or restore the staff groups (content editors, moderators, support, finance, administrators)."

    def handle(self, *args, **options) -> None:
        missing = ops_groups_ensure()
        for name, names in missing.items():
            self.stderr.write(f"{name}: skipped missing permissions {', '.join(names)}")
        self.stdout.write(f"{len(GROUPS)} groups in line with the design.")
