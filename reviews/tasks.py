"""django-q2 tasks of the reviews app: each takes ids and calls one service. The periodic ones are
listed in ``core.schedules.SCHEDULES``."""

from .services import review_hidden_email_send, review_invitation_email_send, reviews_invite_due, reviews_publish_due


def publish_due_reviews() -> int:
    """Every 15 minutes: reviews whose delay is over (or whose learner had their next session) go public."""
    return reviews_publish_due()


def invite_to_rate() -> int:
    """Hourly: learners of sessions that just completed are invited to rate them, and reminded once."""
    return reviews_invite_due()


def send_review_invitation(booking_id: int, kind: str) -> int:
    """Outbox handler, written by ``reviews_invite_due``."""
    return review_invitation_email_send(booking_id=booking_id, kind=kind)


def send_review_hidden_email(review_id: int) -> int:
    """Outbox handler, written by ``review_hide``."""
    return review_hidden_email_send(review_id=review_id)
