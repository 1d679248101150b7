from django.urls import path

from . import dashboard_views, view_counter, views

urlpatterns = [
    path("onboarding/", views.onboarding, name="onboarding"),
    path("onboarding/<slug:step>/", views.onboarding_step, name="onboarding_step"),
    path("dashboard/goals/", views.goals_page, name="learning_goals"),
    path("dashboard/goals/add/", views.goal_add, name="learning_goal_add"),
    path("dashboard/goals/levels/", views.levels_update, name="learning_levels_update"),
    path("dashboard/goals/<int:pk>/edit/", views.goal_edit, name="learning_goal_edit"),
    path("dashboard/goals/<int:pk>/milestones/", views.milestone_add_view, name="learning_milestone_add"),
    path("dashboard/milestones/<int:pk>/done/", views.milestone_done_view, name="learning_milestone_done"),
    path("dashboard/milestones/<int:pk>/answer/", views.milestone_answer_view, name="learning_milestone_answer"),
    path("dashboard/progress/", dashboard_views.progress_page, name="learning_progress"),
    path("dashboard/history/", dashboard_views.history_page, name="learning_history"),
    path("bookings/<int:pk>/goal/", dashboard_views.booking_goal, name="learning_booking_goal"),
    path(
        "bookings/<int:pk>/milestones/suggest/",
        dashboard_views.booking_milestone_suggest,
        name="booking_milestone_suggest",
    ),
    path("expert/students/", dashboard_views.students_page, name="expert_students"),
    path("expert/insights/", dashboard_views.insights_page, name="expert_insights"),
    path("insights/views/<int:profile_id>/", view_counter.profile_viewed, name="profile_viewed"),
]
