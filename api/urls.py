from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView

from .views import fallback, public

app_name = "api"

urlpatterns = [
    path("v1/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("v1/categories/", public.CategoryList.as_view(), name="categories"),
    path("v1/experts/", public.ExpertList.as_view(), name="experts"),
    path("v1/experts/<slug:slug>/", public.ExpertDetail.as_view(), name="expert"),
    path("v1/experts/<slug:slug>/slots/", public.ExpertSlots.as_view(), name="expert_slots"),
    # Last: any other address under /api/ answers a problem document, not the site's HTML 404 page.
    re_path(r"^.*$", fallback.not_found, name="not_found"),
]
