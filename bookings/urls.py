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
    path("bookings/<int:pk>/recording-consent/", views.booking_recording_consent, name="booking_recording_consent"),
    path("bookings/<int:pk>/recordings/", views.booking_recording_upload, name="booking_recording_upload"),
    path("recordings/<int:pk>/", views.recording_file, name="recording_file"),
    path("dashboard/", views.learner_dashboard, name="learner_dashboard"),
    path("expert/", views.expert_dashboard, name="expert_dashboard"),
    path("expert/availability/", views.expert_availability, name="expert_availability"),
]
