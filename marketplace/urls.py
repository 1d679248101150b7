from django.urls import path

from . import views

urlpatterns = [
    path("experts/book/<int:page_id>/", views.booking_start, name="booking_start"),
    path("bookings/<int:pk>/", views.booking_detail, name="booking_detail"),
    path("bookings/<int:pk>/join/", views.booking_join, name="booking_join"),
    path("bookings/<int:pk>/hold-again/", views.booking_rehold, name="booking_rehold"),
    path("dashboard/", views.learner_dashboard, name="learner_dashboard"),
    path("expert/", views.expert_dashboard, name="expert_dashboard"),
    path("expert/profile/", views.expert_profile_edit, name="expert_profile_edit"),
    path("expert/offerings/", views.expert_offerings, name="expert_offerings"),
    path("expert/availability/", views.expert_availability, name="expert_availability"),
    path("expert/offerings/sessions/<int:pk>/", views.expert_session_type_edit, name="expert_session_type_edit"),
    path(
        "expert/offerings/sessions/<int:pk>/delete/",
        views.expert_session_type_delete,
        name="expert_session_type_delete",
    ),
    path("expert/offerings/packages/<int:pk>/", views.expert_package_edit, name="expert_package_edit"),
    path("expert/offerings/packages/<int:pk>/delete/", views.expert_package_delete, name="expert_package_delete"),
]
