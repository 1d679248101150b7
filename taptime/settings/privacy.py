"""Data-subject requests (export, erasure) and retention periods (docs/privacy.md).

Every period is read from the environment, so an operator can shorten or lengthen
one without a deploy of code; the defaults follow the security review's retention table.
"""

from .env import env

# Erasure waits this long after the request; signing in and pressing "cancel" stops it.
PRIVACY_ERASURE_GRACE_DAYS = env.int("PRIVACY_ERASURE_GRACE_DAYS", default=7)
# An export's download link works this long; then the retention job deletes the file.
PRIVACY_EXPORT_LINK_DAYS = env.int("PRIVACY_EXPORT_LINK_DAYS", default=7)
# Where export archives live inside the private storage (never on a public URL).
PRIVACY_EXPORT_DIR = "privacy-exports"

# Retention (each purged by a daily job in core/schedules.py).
RETENTION_EXPIRED_HOLD_DAYS = env.int("RETENTION_EXPIRED_HOLD_DAYS", default=90)
RETENTION_WEBHOOK_PAYLOAD_DAYS = env.int("RETENTION_WEBHOOK_PAYLOAD_DAYS", default=90)
RETENTION_FORM_SUBMISSION_DAYS = env.int("RETENTION_FORM_SUBMISSION_DAYS", default=365)
RETENTION_PAGE_REVISIONS_KEEP = env.int("RETENTION_PAGE_REVISIONS_KEEP", default=20)
RETENTION_UNVERIFIED_ACCOUNT_DAYS = env.int("RETENTION_UNVERIFIED_ACCOUNT_DAYS", default=30)
# The funnel's page-view events (insights.models.FunnelEvent); the daily figures keep the counts.
RETENTION_FUNNEL_EVENT_DAYS = env.int("RETENTION_FUNNEL_EVENT_DAYS", default=90)
# Funnel events are written in bulk: at this many buffered, or this many seconds after the first.
FUNNEL_BUFFER_SIZE = env.int("FUNNEL_BUFFER_SIZE", default=100)
FUNNEL_FLUSH_SECONDS = env.int("FUNNEL_FLUSH_SECONDS", default=10)
