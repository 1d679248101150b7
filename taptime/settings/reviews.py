"""Reviews: when they become public, how long they stay editable, what the automatic check flags."""

from .env import env

# A review stays hidden from the expert this long after it is written, unless the learner's next session
# with the same expert completes first. Three days: long enough that the expert cannot tell from a new
# review which of the week's sessions wrote it, short enough that the page reflects recent sessions.
REVIEW_PUBLISH_DELAY_DAYS = env.int("REVIEW_PUBLISH_DELAY_DAYS", default=3)
# The learner can write and change their review until this many days after the session ended.
REVIEW_EDIT_DAYS = env.int("REVIEW_EDIT_DAYS", default=14)
# One reminder this many days after the session, if no review was written.
REVIEW_REMINDER_DAYS = env.int("REVIEW_REMINDER_DAYS", default=3)
# Words that send a review to the moderation queue (comma-separated, case-insensitive); nothing is blocked.
REVIEW_FLAG_WORDS = env.list("REVIEW_FLAG_WORDS", default=["scam", "fraud", "venmo", "paypal", "whatsapp", "telegram"])
# The expert profile's row lock around each aggregate change. Only the race test's control run
# switches it off, to prove the test would see a wrong average without it.
REVIEW_AGGREGATE_LOCKING = True
