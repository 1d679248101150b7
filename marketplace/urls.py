from django.urls import path

from . import views

urlpatterns = [
    path("expert/profile/", views.expert_profile_edit, name="expert_profile_edit"),
    path("expert/profile/preview/", views.expert_page_preview, name="expert_page_preview"),
    path("expert/publish/", views.expert_page_publish, name="expert_page_publish"),
    path("expert/offerings/", views.expert_offerings, name="expert_offerings"),
    path("expert/offerings/sessions/<int:pk>/", views.expert_session_type_edit, name="expert_session_type_edit"),
    path(
        "expert/offerings/sessions/<int:pk>/delete/",
        views.expert_session_type_delete,
        name="expert_session_type_delete",
    ),
    path("expert/offerings/packages/<int:pk>/", views.expert_package_edit, name="expert_package_edit"),
    path("expert/offerings/packages/<int:pk>/delete/", views.expert_package_delete, name="expert_package_delete"),
]
