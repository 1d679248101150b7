from django.urls import path

from . import views

urlpatterns = [
    path("experts/book/<int:page_id>/", views.booking_start, name="booking_start"),
    path("experts/book/<int:page_id>/times/", views.slot_fragment, name="slot_fragment"),
    path("bookings/<int:pk>/", views.booking_detail, name="booking_detail"),
    path("bookings/<int:pk>/join/", views.booking_join, name="booking_join"),
    path("bookings/<int:pk>/hold-again/", views.booking_rehold, name="booking_rehold"),
    path("bookings/<int:pk>/reschedule/", views.booking_reschedule_view, name="booking_reschedule"),
    path("bookings/<int:pk>/propose-time/", views.booking_propose_time, name="booking_propose_time"),
    path("bookings/<int:pk>/proposal/", views.booking_proposal, name="booking_proposal"),
    # Session tools (bookings.views.session_tools): the participants only, 404 for everyone else.
    path("bookings/<int:pk>/goals/", views.booking_goals, name="booking_goals"),
    path("bookings/<int:pk>/questionnaire/", views.booking_questionnaire, name="booking_questionnaire"),
    path("bookings/<int:pk>/notes/private/", views.booking_note_private, name="booking_note_private"),
    path("bookings/<int:pk>/notes/shared/", views.booking_note_shared, name="booking_note_shared"),
    path("bookings/<int:pk>/resources/", views.booking_resources, name="booking_resources"),
    path("bookings/resources/<int:pk>/delete/", views.session_resource_delete, name="session_resource_delete"),
    path("bookings/resources/<int:pk>/file/", views.session_resource_file, name="session_resource_file"),
    path("bookings/<int:pk>/report/", views.booking_report, name="booking_report"),
    path("bookings/<int:pk>/recording-consent/", views.booking_recording_consent, name="booking_recording_consent"),
    path("bookings/<int:pk>/recordings/", views.booking_recording_upload, name="booking_recording_upload"),
    path("recordings/<int:pk>/", views.recording_file, name="recording_file"),
    # Messages (bookings.views.messages): the thread's two people only, 404 for everyone else.
    path("messages/", views.inbox, name="message_inbox"),
    path("messages/settings/", views.messaging_settings, name="messaging_settings"),
    path("messages/<int:pk>/", views.thread_view, name="message_thread"),
    path("messages/<int:pk>/block/", views.thread_block_view, name="message_thread_block"),
    path("messages/m/<int:pk>/report/", views.message_report_view, name="message_report"),
    path("messages/m/<int:pk>/file/", views.message_attachment, name="message_attachment"),
    path("bookings/<int:pk>/messages/", views.booking_messages, name="booking_messages"),
    path("experts/ask/<int:page_id>/", views.expert_question, name="expert_question"),
    path("dashboard/", views.learner_dashboard, name="learner_dashboard"),
    path("expert/", views.expert_dashboard, name="expert_dashboard"),
    path("expert/availability/", views.expert_availability, name="expert_availability"),
    # Imported ICS calendars (bookings.views.calendars): the expert's own only, 404 for any other id.
    path("expert/calendars/", views.expert_calendars, name="expert_calendars"),
    path("expert/calendars/<int:pk>/remove/", views.expert_calendar_remove_view, name="expert_calendar_remove"),
    path("expert/calendars/<int:pk>/sync/", views.expert_calendar_sync_view, name="expert_calendar_sync"),
    # Private calendar feeds: the secret address (no sign-in) and the settings page's buttons.
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
    path("accounts/settings/calendar/new/", views.calendar_feed_regenerate_view, name="calendar_feed_regenerate"),
    path("accounts/settings/calendar/off/", views.calendar_feed_revoke_view, name="calendar_feed_revoke"),
    # Connected Google and Outlook calendars (two-way sync): consent page, its return, disconnect.
    path(
        "expert/connected-calendars/<str:provider>/connect/",
        views.connected_calendar_connect,
        name="connected_calendar_connect",
    ),
    path(
        "expert/connected-calendars/<str:provider>/callback/",
        views.connected_calendar_callback,
        name="connected_calendar_callback",
    ),
    path(
        "expert/connected-calendars/<int:pk>/disconnect/",
        views.connected_calendar_disconnect_view,
        name="connected_calendar_disconnect",
    ),
    path(
        "expert/connected-calendars/<int:pk>/calendar/",
        views.connected_calendar_choose_view,
        name="connected_calendar_choose",
    ),
    # Zoom's event notifications (signed; csrf-exempt): participants joining and leaving, recordings.
    path("webhooks/zoom/", views.zoom_webhook, name="zoom_webhook"),
]
