"""Text messages (session reminders, phone verification codes). The console adapter by default:
the demo and the tests log messages. Production sets ``SMS_BACKEND=twilio`` and Twilio's credentials,
from the environment only."""

from .env import env

SMS_BACKEND = env("SMS_BACKEND", default="console")
TWILIO_ACCOUNT_SID = env("TWILIO_ACCOUNT_SID", default="")
TWILIO_AUTH_TOKEN = env("TWILIO_AUTH_TOKEN", default="")
# A Twilio number (E.164) or alphanumeric sender id, or a Messaging Service (MG…) instead.
TWILIO_FROM = env("TWILIO_FROM", default="")
TWILIO_MESSAGING_SERVICE_SID = env("TWILIO_MESSAGING_SERVICE_SID", default="")

# Phone verification: a code lives this long, takes this many wrong tries, and at most this many
# codes go to one person, and to one number, a day (and one a minute per person).
PHONE_CODE_TTL_SECONDS = env.int("PHONE_CODE_TTL_SECONDS", default=600)
PHONE_CODE_MAX_TRIES = env.int("PHONE_CODE_MAX_TRIES", default=5)
PHONE_CODES_PER_DAY = env.int("PHONE_CODES_PER_DAY", default=5)
PHONE_CODE_RESEND_SECONDS = env.int("PHONE_CODE_RESEND_SECONDS", default=60)
