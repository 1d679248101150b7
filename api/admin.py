"""The API's records in the Django admin (superusers): webhook endpoints and their deliveries.

Read-only, and without the signing secrets: endpoints are made and removed by
their users at /expert/webhooks/. Personal access tokens stay out: only their
owners see and revoke them (/accounts/api-tokens/).
"""

from django.contrib import admin

from .models import WebhookDelivery, WebhookEndpoint


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    list_display = ("pk", "user", "url", "is_active", "created_at")
    list_filter = ("is_active",)
    search_fields = ("url", "user__email")
    fields = ("user", "url", "events", "is_active", "created_at")
    readonly_fields = ("user", "url", "events", "created_at")

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ("pk", "event", "endpoint", "status", "attempts", "last_status_code", "next_attempt_at")
    list_filter = ("status", "event")
    search_fields = ("event_id", "endpoint__url")
    readonly_fields = [field.name for field in WebhookDelivery._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
