"""Texts we tried to send, in the Django admin (superusers): what Twilio accepted or refused, and why.

Read-only; never the body (it may hold a verification code). The numbers and codes themselves are
not listed: a person's number is theirs to change on their settings page."""

from django.contrib import admin

from .models import SmsDelivery


@admin.register(SmsDelivery)
class SmsDeliveryAdmin(admin.ModelAdmin):
    list_display = ("pk", "created_at", "user", "purpose", "status", "provider", "error_code", "error_message")
    list_filter = ("status", "purpose", "provider")
    search_fields = ("error_code", "provider_message_id")
    list_select_related = ("user",)
    readonly_fields = [field.name for field in SmsDelivery._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
