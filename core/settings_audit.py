"""Every change to a Wagtail setting (Settings → Billing, Applications, Site…) or a feature flag is an
audit entry with who changed it and each changed field's value before and after, written in the save's
transaction.

Wagtail's settings edit view saves through the model's registered "edit" action (``wagtail.actions``);
this action replaces Wagtail's plain ``wagtail.edit`` entry (which records only *that* something
changed) for every generic and site setting, so commission rate, hold days, minimum withdrawal and
the rest need nothing of their own. The previous values are read from the database under a row lock:
the form has already written the new ones onto the instance by the time the action runs.
"""

from __future__ import annotations

from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from wagtail.actions.edit import EditAction
from wagtail.log_actions import LogFormatter, log

LOG_SETTINGS_CHANGE = "taptime.settings.change"
LOG_FLAG_CHANGE = "taptime.flag.change"
# Timestamps every save moves by itself (waffle sets ``modified`` in ``save()``, not with ``auto_now``).
BOOKKEEPING_FIELDS = {"created", "modified", "created_at", "updated_at"}


def setting_values(instance: models.Model) -> dict[str, Any]:
    """The stored values of an object's own fields (foreign keys by id, many-to-many as sorted ids),
    keyed by field name; timestamps the save itself moves (``auto_now``) are left out."""
    values = {
        field.name: field.value_from_object(instance)
        for field in instance._meta.concrete_fields
        if not field.primary_key
        and not field.name.endswith("_ptr")
        and field.name not in BOOKKEEPING_FIELDS
        and not getattr(field, "auto_now", False)
        and not getattr(field, "auto_now_add", False)
    }
    for field in instance._meta.many_to_many:
        values[field.name] = sorted(getattr(instance, field.name).values_list("pk", flat=True))
    return values


def settings_changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        name: {"before": before.get(name), "after": value} for name, value in after.items() if before.get(name) != value
    }


class LoggedSettingEditAction(EditAction):
    """Wagtail's edit action for settings, logging before/after instead of a bare ``wagtail.edit``."""

    log_name = LOG_SETTINGS_CHANGE

    @transaction.atomic
    def _edit(self, skip_permission_checks=False):
        model = type(self.instance)
        stored = model._default_manager.select_for_update().filter(pk=self.instance.pk).first()
        before = setting_values(stored) if stored is not None else {}
        self.log_action = None
        instance = super()._edit(skip_permission_checks=skip_permission_checks)
        changes = settings_changes(before, setting_values(instance))
        log(
            instance=instance,
            action=self.log_name,
            user=self.user,
            data={"changes": changes},
            content_changed=bool(changes),
        )
        return instance


class LoggedFlagEditAction(LoggedSettingEditAction):
    log_name = LOG_FLAG_CHANGE


class SettingsChangeFormatter(LogFormatter):
    label = _("Change settings")

    def format_message(self, log_entry):
        changes = (log_entry.data or {}).get("changes") or {}
        if not changes:
            return _("Saved settings without changes")
        parts = [f"{name}: {change.get('before')} → {change.get('after')}" for name, change in sorted(changes.items())]
        return _("Changed %(changes)s") % {"changes": "; ".join(parts)}


class FlagChangeFormatter(SettingsChangeFormatter):
    label = _("Change a feature flag")
