from allauth.account.decorators import reauthentication_required
from allauth.account.views import password_change
from django.urls import path

from . import privacy_views, views

urlpatterns = [
    path("settings/", views.account_settings, name="account_settings"),
    path("settings/phone/", views.phone_number_save, name="phone_number_save"),
    path("settings/phone/verify/", views.phone_code_verify, name="phone_code_verify"),
    path("settings/phone/resend/", views.phone_code_resend_view, name="phone_code_resend"),
    path("settings/phone/remove/", views.phone_number_remove_view, name="phone_number_remove"),
    # allauth's own page, behind its re-authentication: a session left open on a
    # shared computer cannot change the password without proving who is there.
    path("password/change/", reauthentication_required(password_change)),
    path("api-tokens/", views.api_tokens, name="api_tokens"),
    path("api-tokens/<int:pk>/revoke/", views.api_token_revoke_view, name="api_token_revoke"),
    # Ours rather than allauth.usersessions' list: device, browser and place, and ending one session.
    path("sessions/", views.account_sessions, name="account_sessions"),
    path("sessions/others/end/", views.account_sessions_end_others, name="account_sessions_end_others"),
    path("sessions/<int:pk>/end/", views.account_session_end, name="account_session_end"),
    path("2fa/enrol/", views.staff_mfa_enrol, name="staff_mfa_enrol"),
    path("2fa/enrol/<str:token>/", views.staff_mfa_enrol_confirm, name="staff_mfa_enrol_confirm"),
    path("privacy/", privacy_views.privacy, name="privacy"),
    path("privacy/export/", privacy_views.privacy_export, name="privacy_export"),
    path("privacy/export/<str:token>/", privacy_views.privacy_export_download, name="privacy_export_download"),
    path("privacy/erase/", privacy_views.privacy_erase, name="privacy_erase"),
    path("privacy/consent/", privacy_views.marketing_consent, name="marketing_consent"),
    path("unsubscribe/<str:token>/", privacy_views.marketing_unsubscribe_view, name="marketing_unsubscribe"),
    path("privacy/erase/cancel/", privacy_views.privacy_erase_cancel, name="privacy_erase_cancel"),
]
