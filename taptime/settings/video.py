"""Video rooms. Jitsi by default (public meet.jit.si); a self-hosted Jitsi with token
auth sets its URL plus an app id and secret, and every join link carries a JWT."""

from .env import env

VIDEO_PROVIDER = env("VIDEO_PROVIDER", default="jitsi")
VIDEO_JITSI_BASE_URL = env("VIDEO_JITSI_BASE_URL", default="https://meet.jit.si")
VIDEO_JITSI_APP_ID = env("VIDEO_JITSI_APP_ID", default="")
VIDEO_JITSI_SECRET = env("VIDEO_JITSI_SECRET", default="")
