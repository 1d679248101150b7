"""Video rooms. Jitsi by default (public meet.jit.si); a self-hosted Jitsi with token
auth sets its URL plus an app id and secret, and every join link carries a JWT."""

from .env import env

VIDEO_PROVIDER = env("VIDEO_PROVIDER", default="jitsi")
VIDEO_JITSI_BASE_URL = env("VIDEO_JITSI_BASE_URL", default="https://meet.jit.si")
VIDEO_JITSI_APP_ID = env("VIDEO_JITSI_APP_ID", default="")
VIDEO_JITSI_SECRET = env("VIDEO_JITSI_SECRET", default="")

# Zoom (a Server-to-Server OAuth app of the platform's Zoom account); offered to experts only when
# all three are set. The webhook secret token verifies /webhooks/zoom/ (unset: the URL answers 404).
VIDEO_ZOOM_ACCOUNT_ID = env("VIDEO_ZOOM_ACCOUNT_ID", default="")
VIDEO_ZOOM_CLIENT_ID = env("VIDEO_ZOOM_CLIENT_ID", default="")
VIDEO_ZOOM_CLIENT_SECRET = env("VIDEO_ZOOM_CLIENT_SECRET", default="")
VIDEO_ZOOM_WEBHOOK_SECRET = env("VIDEO_ZOOM_WEBHOOK_SECRET", default="")
# Google Meet through the Calendar API of one platform Google account (an OAuth client and the
# refresh token an operator obtained once for the calendar.events scope); offered when all three are set.
VIDEO_GOOGLE_CLIENT_ID = env("VIDEO_GOOGLE_CLIENT_ID", default="")
VIDEO_GOOGLE_CLIENT_SECRET = env("VIDEO_GOOGLE_CLIENT_SECRET", default="")
VIDEO_GOOGLE_REFRESH_TOKEN = env("VIDEO_GOOGLE_REFRESH_TOKEN", default="")
VIDEO_GOOGLE_CALENDAR_ID = env("VIDEO_GOOGLE_CALENDAR_ID", default="primary")
