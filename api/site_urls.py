"""The site pages of the API app (HTML, in the expert area): webhook endpoints and their log."""

from django.urls import path

from .views import webhooks_site

urlpatterns = [
    path("", webhooks_site.expert_webhooks, name="expert_webhooks"),
    path("<int:pk>/delete/", webhooks_site.expert_webhook_delete, name="expert_webhook_delete"),
    path("deliveries/<int:pk>/replay/", webhooks_site.expert_webhook_replay, name="expert_webhook_replay"),
]
