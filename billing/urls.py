from django.urls import path

from . import views

urlpatterns: list = [
    path("bookings/<int:pk>/cancel/", views.booking_cancel, name="booking_cancel"),
]
