"""The outbox in the Django admin (superusers): what is waiting, and what gave up and why."""

from django.contrib import admin

from .models import OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ("pk", "handler", "dedupe_key", "status", "attempts", "next_attempt_at", "created_at")
    list_filter = ("status", "app_label")
    search_fields = ("dedupe_key", "handler")
    readonly_fields = [field.name for field in OutboxMessage._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False
