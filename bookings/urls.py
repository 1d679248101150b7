from django.urls import path

from . import views

urlpatterns = [
    path("experts/book/<int:page_id>/", views.booking_start, name="booking_start"),
    path("bookings/<int:pk>/", views.booking_detail, name="booking_detail"),
    path("bookings/<int:pk>/join/", views.booking_join, name="booking_join"),
    path("bookings/<int:pk>/hold-again/", views.booking_rehold, name="booking_rehold"),
    path("bookings/<int:pk>/reschedule/", views.booking_reschedule_view, name="booking_reschedule"),
    path("bookings/<int:pk>/propose-time/", views.booking_propose_time, name="booking_propose_time"),
    path("bookings/<int:pk>/proposal/", views.booking_proposal, name="booking_proposal"),
    path("dashboard/", views.learner_dashboard, name="learner_dashboard"),
    path("expert/", views.expert_dashboard, name="expert_dashboard"),
    path("expert/availability/", views.expert_availability, name="expert_availability"),
    # Zoom's event notifications (signed; csrf-exempt): participants joining and leaving, recordings.
    path("webhooks/zoom/", views.zoom_webhook, name="zoom_webhook"),
]
