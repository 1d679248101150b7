from django.urls import path

from . import views

urlpatterns = [
    # The expert application (applicant side); staff review it in the Wagtail admin.
    path("join/apply/", views.application_apply, name="application_apply"),
    path(
        "join/apply/documents/<int:pk>/delete/", views.application_document_delete, name="application_document_delete"
    ),
    path("join/apply/<slug:step>/", views.application_step, name="application_step"),
    path("join/application/", views.application_status, name="application_status"),
    # Private files: the applicant or a reviewer, checked on every request.
    path("join/documents/<int:pk>/", views.application_document_file, name="application_document"),
    path("join/applications/<int:pk>/photo/", views.application_photo_file, name="application_photo"),
    path("expert/profile/", views.expert_profile_edit, name="expert_profile_edit"),
    path("expert/profile/preview/", views.expert_page_preview, name="expert_page_preview"),
    path("expert/publish/", views.expert_page_publish, name="expert_page_publish"),
    path("expert/offerings/", views.expert_offerings, name="expert_offerings"),
    path("expert/offerings/questions/", views.expert_questionnaire, name="expert_questionnaire"),
    path("expert/offerings/sessions/<int:pk>/", views.expert_session_type_edit, name="expert_session_type_edit"),
    path(
        "expert/offerings/sessions/<int:pk>/delete/",
        views.expert_session_type_delete,
        name="expert_session_type_delete",
    ),
    path("expert/offerings/packages/<int:pk>/", views.expert_package_edit, name="expert_package_edit"),
    path("expert/offerings/packages/<int:pk>/delete/", views.expert_package_delete, name="expert_package_delete"),
]
