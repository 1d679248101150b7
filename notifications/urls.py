from django.urls import path

from .views import announcement_dismiss_view

urlpatterns = [
    path("announcements/<int:pk>/dismiss/", announcement_dismiss_view, name="announcement_dismiss"),
]
