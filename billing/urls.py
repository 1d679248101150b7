from django.urls import path

from . import views

urlpatterns: list = [
    path("bookings/<int:pk>/review/", views.booking_review, name="booking_review"),
    path("bookings/<int:pk>/paid/", views.booking_paid, name="booking_paid"),
    path("bookings/<int:pk>/cancel/", views.booking_cancel, name="booking_cancel"),
    path("bookings/<int:pk>/cancel-as-expert/", views.booking_cancel_by_expert, name="booking_cancel_by_expert"),
]
