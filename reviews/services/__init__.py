from .invitations import review_invitation_email_send, reviews_invite_due
from .moderation import review_dismiss, review_hidden_email_send, review_hide, review_restore, review_staff_reply
from .publication import rating_aggregate_refresh, reviews_publish_due
from .ratings import review_flags, review_submit, review_writable_check
from .replies import review_reply, review_report

__all__ = [
    "rating_aggregate_refresh",
    "review_dismiss",
    "review_flags",
    "review_hide",
    "review_hidden_email_send",
    "review_invitation_email_send",
    "review_reply",
    "review_report",
    "review_restore",
    "review_staff_reply",
    "review_submit",
    "review_writable_check",
    "reviews_invite_due",
    "reviews_publish_due",
]
