from django.urls import path

from . import views

urlpatterns = [
    path("settings/", views.account_settings, name="account_settings"),
    path("2fa/enrol/", views.staff_mfa_enrol, name="staff_mfa_enrol"),
    path("2fa/enrol/<str:token>/", views.staff_mfa_enrol_confirm, name="staff_mfa_enrol_confirm"),
]
