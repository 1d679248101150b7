"""Changing a person's roles from the operations console: their staff groups (Content editors,
Moderators, Support, Finance, Administrators — ``manage.py ops_groups``), and taking the expert role
away. Everyone is a learner; the expert role is *given* only by approving an application (the
applications queue), so this refuses to grant it.

Who may: holders of ``auth.change_group`` (Administrators and superusers) — changing roles is how
privileges are handed out, so support staff, who may suspend people, may not. Nobody changes their
own roles or a superuser's. ``is_staff`` follows the groups: in at least one group means staff.
Logged with the reason and the before/after in the change's transaction.
"""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from .errors import AccountsError
from .models import User
from .services import STAFF_REASON_MAX

ROLES_PERMISSION = "auth.change_group"
LOG_ROLES_CHANGE = "taptime.user.roles_change"


def _roles(user: User, group_names: list[str]) -> dict:
    return {"expert": user.is_expert, "staff": user.is_staff, "groups": sorted(group_names)}


def user_roles_change(*, user: User, by, reason: str, groups: list[Group], expert: bool) -> bool:
    """Set ``user``'s staff groups and expert role; False (and no log entry) when nothing changed."""

    if not getattr(by, "is_authenticated", False) or not by.has_perm(ROLES_PERMISSION):
        raise AccountsError(_("You may not change people's roles."), code="forbidden")
    if user.pk == by.pk or user.is_superuser:
        raise AccountsError(_("You may not change your own roles or an administrator's."), code="forbidden")
    reason = (reason or "").strip()
    if not reason:
        raise AccountsError(_("Please give the reason; it is kept in the audit log."), code="no_reason")
    if len(reason) > STAFF_REASON_MAX:
        raise AccountsError(_("Please keep the reason under %(n)d characters.") % {"n": STAFF_REASON_MAX}, code="long")
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        before = _roles(locked, list(locked.groups.values_list("name", flat=True)))
        if expert and not locked.is_expert:
            raise AccountsError(
                _("The expert role comes from an approved application; review theirs in the applications queue."),
                code="expert_by_application",
            )
        locked.is_expert = expert
        locked.is_staff = bool(groups)
        after = _roles(locked, [group.name for group in groups])
        if after == before:
            return False
        locked.save(update_fields=["is_expert", "is_staff"])
        locked.groups.set(groups)
        log(
            instance=locked, action=LOG_ROLES_CHANGE, user=by, data={"reason": reason, "before": before, "after": after}
        )
    user.is_expert, user.is_staff = locked.is_expert, locked.is_staff
    return True
