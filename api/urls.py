from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView

from .views import (
    docs,
    earnings,
    expert,
    fallback,
    learner,
    learning,
    messages,
    moves,
    packages,
    proposals,
    public,
    reviews,
)

app_name = "api"

urlpatterns = [
    path("v1/schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI with its script served as a file of its own (no inline script: the strict CSP holds).
    path("v1/docs/", docs.ApiDocs.as_view(url_name="api:schema"), name="docs"),
    # Public
    path("v1/categories/", public.CategoryList.as_view(), name="api_categories"),
    path("v1/experts/", public.ExpertList.as_view(), name="api_experts"),
    path("v1/experts/<slug:slug>/", public.ExpertDetail.as_view(), name="api_expert"),
    path("v1/experts/<slug:slug>/slots/", public.ExpertSlots.as_view(), name="api_expert_slots"),
    path("v1/experts/<slug:slug>/reviews/", reviews.ExpertReviews.as_view(), name="api_expert_reviews"),
    # Learner
    path("v1/me/", learner.Me.as_view(), name="api_me"),
    path("v1/bookings/", learner.BookingList.as_view(), name="api_bookings"),
    path("v1/bookings/<int:pk>/", learner.BookingDetail.as_view(), name="api_booking"),
    path("v1/bookings/<int:pk>/pay/", learner.BookingPay.as_view(), name="api_booking_pay"),
    path("v1/bookings/<int:pk>/cancel/", learner.BookingCancel.as_view(), name="api_booking_cancel"),
    path("v1/bookings/<int:pk>/reschedule/", moves.BookingReschedule.as_view(), name="api_booking_reschedule"),
    path("v1/bookings/<int:pk>/proposal/", proposals.BookingProposal.as_view(), name="api_booking_proposal"),
    path("v1/bookings/<int:pk>/rating/", reviews.BookingRating.as_view(), name="api_booking_rating"),
    path("v1/packages/", packages.PackageList.as_view(), name="api_packages"),
    path("v1/goals/", learning.GoalList.as_view(), name="api_goals"),
    path("v1/goals/<int:pk>/", learning.GoalDetail.as_view(), name="api_goal"),
    path("v1/goals/<int:pk>/milestones/", learning.GoalMilestones.as_view(), name="api_goal_milestones"),
    path("v1/milestones/<int:pk>/", learning.MilestoneDetail.as_view(), name="api_milestone"),
    path("v1/threads/", messages.ThreadList.as_view(), name="api_threads"),
    path("v1/threads/<int:pk>/messages/", messages.ThreadMessages.as_view(), name="api_thread_messages"),
    # Expert
    path("v1/expert/profile/", expert.ExpertProfileView.as_view(), name="api_expert_profile"),
    path("v1/expert/offerings/", expert.ExpertOfferings.as_view(), name="api_expert_offerings"),
    path("v1/expert/offerings/<int:length>/", expert.ExpertOffering.as_view(), name="api_expert_offering"),
    path("v1/expert/availability/", expert.ExpertAvailability.as_view(), name="api_expert_availability"),
    path("v1/expert/availability/days-off/", expert.ExpertDaysOff.as_view(), name="api_expert_days_off"),
    path("v1/expert/availability/days-off/<str:day>/", expert.ExpertDayOff.as_view(), name="api_expert_day_off"),
    path("v1/expert/sessions/", expert.ExpertSessions.as_view(), name="api_expert_sessions"),
    path(
        "v1/expert/sessions/<int:pk>/propose/",
        proposals.ExpertSessionPropose.as_view(),
        name="api_expert_session_propose",
    ),
    path(
        "v1/expert/sessions/<int:pk>/cancel/", proposals.ExpertSessionCancel.as_view(), name="api_expert_session_cancel"
    ),
    path("v1/expert/earnings/", earnings.ExpertEarnings.as_view(), name="api_expert_earnings"),
    path("v1/expert/withdrawals/", earnings.ExpertWithdrawals.as_view(), name="api_expert_withdrawals"),
    # Last: any other address under /api/ answers a problem document, not the site's HTML 404 page.
    re_path(r"^.*$", fallback.not_found, name="api_not_found"),
]
