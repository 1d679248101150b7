from django.urls import path

from . import views

urlpatterns = [
    path("dashboard/", views.learner_dashboard, name="learner_dashboard"),
    path("expert/", views.expert_dashboard, name="expert_dashboard"),
]
