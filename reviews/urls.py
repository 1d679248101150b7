from django.urls import path

from . import views

urlpatterns = [
    path("bookings/<int:pk>/rate/", views.booking_rate, name="booking_rate"),
    path("expert/reviews/", views.expert_reviews, name="expert_reviews"),
    path("expert/reviews/<int:pk>/reply/", views.expert_review_reply, name="expert_review_reply"),
    path("expert/reviews/<int:pk>/report/", views.expert_review_report, name="expert_review_report"),
]
