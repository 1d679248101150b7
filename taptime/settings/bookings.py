"""Bookings: holds, cancellation, joining, and how long a request waits for a lock."""

from .env import env

# How long a chosen slot stays reserved while the learner pays.
BOOKING_HOLD_MINUTES = env.int("BOOKING_HOLD_MINUTES", default=10)
# A learner holds at most this many unpaid times at once: a new hold lets go of the oldest.
BOOKING_MAX_LIVE_HOLDS = env.int("BOOKING_MAX_LIVE_HOLDS", default=3)
# The video room is reachable from this many minutes before the start until the end.
BOOKING_JOIN_EARLY_MINUTES = env.int("BOOKING_JOIN_EARLY_MINUTES", default=15)
# The participant locks of a hold. Only the race test's control run switches them
# off, to prove the test would see a double booking without them.
BOOKING_HOLD_LOCKING = True
# Velocity limits on holds (bookings.services.limits), counted from the bookings table:
# holds one learner may make in an hour, with any expert...
BOOKING_HOLDS_PER_HOUR = env.int("BOOKING_HOLDS_PER_HOUR", default=10)
# ...and holds of one expert's time one learner may let lapse (or have released) in 24 hours.
BOOKING_UNPAID_HOLDS_PER_EXPERT_PER_DAY = env.int("BOOKING_UNPAID_HOLDS_PER_EXPERT_PER_DAY", default=3)
# The organizer of every calendar invite: a platform address, so neither participant's email
# address reaches the other (replies to the invite go here).
BOOKING_INVITE_ORGANIZER_EMAIL = env("BOOKING_INVITE_ORGANIZER_EMAIL", default="sessions@taptime.example")
# The refund tier of experts who have not picked one (flexible, moderate or strict; bookings.models.refund_policy).
BOOKING_DEFAULT_REFUND_TIER = env("BOOKING_DEFAULT_REFUND_TIER", default="flexible")
# How often a learner may move one session to another time (bookings.services.reschedule).
BOOKING_MAX_RESCHEDULES = env.int("BOOKING_MAX_RESCHEDULES", default=2)
# Session resources (bookings.services.resources): links and files per session, and the largest file.
BOOKING_RESOURCES_MAX = env.int("BOOKING_RESOURCES_MAX", default=20)
BOOKING_RESOURCE_MAX_BYTES = env.int("BOOKING_RESOURCE_MAX_BYTES", default=10 * 1024 * 1024)
# After a session ends, each participant may report a problem (a no-show, a technical problem) for this
# many hours; an uncontested no-show report is applied when this window closes (bookings.services.attendance).
BOOKING_REPORT_WINDOW_HOURS = env.int("BOOKING_REPORT_WINDOW_HOURS", default=48)
# Recordings (bookings.services.recordings): the largest file an expert may upload or a provider may
# deliver (bytes), how many days after the session's end the expert may still upload, how many files
# one session keeps, how many days a recording is kept after it was added, and the hosts provider
# recordings may be downloaded from (a domain also admits its subdomains).
RECORDING_MAX_BYTES = env.int("RECORDING_MAX_BYTES", default=500 * 1024 * 1024)
RECORDING_UPLOAD_DAYS = env.int("RECORDING_UPLOAD_DAYS", default=7)
RECORDING_MAX_PER_BOOKING = env.int("RECORDING_MAX_PER_BOOKING", default=3)
RECORDING_RETENTION_DAYS = env.int("RECORDING_RETENTION_DAYS", default=30)
RECORDING_DOWNLOAD_HOSTS = env.list("RECORDING_DOWNLOAD_HOSTS", default=["zoom.us"])
# The booking row lock that orders consent changes against recording checks. Only the race test's
# control run switches it off, to prove the test would see a withdrawal lost to the start without it.
BOOKING_RECORDING_LOCKING = True

# Busy times imported from experts' ICS calendars (bookings.services.calendars, docs/bookings.md "Calendar sync").
CALENDAR_MAX_PER_EXPERT = env.int("CALENDAR_MAX_PER_EXPERT", default=5)
CALENDAR_MAX_BYTES = env.int("CALENDAR_MAX_BYTES", default=5 * 1024 * 1024)
# Events in the file, and occurrences expanded over the booking horizon.
CALENDAR_MAX_EVENTS = env.int("CALENDAR_MAX_EVENTS", default=20_000)
CALENDAR_FAILURES_BEFORE_EMAIL = env.int("CALENDAR_FAILURES_BEFORE_EMAIL", default=3)
CALENDAR_SYNC_NOW_SECONDS = env.int("CALENDAR_SYNC_NOW_SECONDS", default=60)
# Loopback (127.0.0.1, ::1) addresses may be fetched: the demo serves its calendars there (dev and test
# settings turn it on). Private, link-local and multicast addresses are refused always.
CALENDAR_ALLOW_LOOPBACK = env.bool("CALENDAR_ALLOW_LOOPBACK", default=False)
# Private calendar feeds (bookings.selectors.calendar_feed): how many days of past sessions a feed
# still lists (all future ones are listed), how often subscribers are asked to poll (minutes), how
# many polls one feed address may make an hour before it gets "429 Too Many Requests", and the most
# sessions one feed lists (the nearest to now).
CALENDAR_FEED_PAST_DAYS = env.int("CALENDAR_FEED_PAST_DAYS", default=90)
CALENDAR_FEED_REFRESH_MINUTES = env.int("CALENDAR_FEED_REFRESH_MINUTES", default=60)
CALENDAR_FEED_POLLS_PER_HOUR = env.int("CALENDAR_FEED_POLLS_PER_HOUR", default=60)
CALENDAR_FEED_MAX_EVENTS = env.int("CALENDAR_FEED_MAX_EVENTS", default=1000)
# Connected Google and Outlook calendars (bookings.services.connected_calendars): the OAuth clients
# (empty: "not configured", the demo's state). Their busy times are read every 15 minutes by a job.
CALENDAR_GOOGLE_CLIENT_ID = env("CALENDAR_GOOGLE_CLIENT_ID", default="")
CALENDAR_GOOGLE_CLIENT_SECRET = env("CALENDAR_GOOGLE_CLIENT_SECRET", default="")
CALENDAR_MICROSOFT_CLIENT_ID = env("CALENDAR_MICROSOFT_CLIENT_ID", default="")
CALENDAR_MICROSOFT_CLIENT_SECRET = env("CALENDAR_MICROSOFT_CLIENT_SECRET", default="")
# Messages between a learner and an expert (bookings.services.messages, docs/bookings.md "Messages").
# Messages one person may send a minute and a day (every thread together); more are refused with a message.
MESSAGES_PER_MINUTE = env.int("MESSAGES_PER_MINUTE", default=20)
MESSAGES_PER_DAY = env.int("MESSAGES_PER_DAY", default=500)
# "Ask a question" from the expert page (threads started before any booking), per learner and hour.
MESSAGE_QUESTIONS_PER_HOUR = env.int("MESSAGE_QUESTIONS_PER_HOUR", default=5)
MESSAGE_MAX_CHARS = env.int("MESSAGE_MAX_CHARS", default=5000)
MESSAGE_QUESTION_MAX_CHARS = env.int("MESSAGE_QUESTION_MAX_CHARS", default=1000)
MESSAGE_ATTACHMENT_MAX_BYTES = env.int("MESSAGE_ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)
# One email (or text) per thread and recipient for every message that arrives within this many seconds
# of the first unread one: a burst of ten messages is one notification.
MESSAGE_NOTIFY_BATCH_SECONDS = env.int("MESSAGE_NOTIFY_BATCH_SECONDS", default=600)
# Words that send a message to moderation (as well as links, contact details and payment requests).
MESSAGE_FLAG_WORDS = env.list("MESSAGE_FLAG_WORDS", default=["scam", "fraud", "whatsapp", "telegram", "signal"])
