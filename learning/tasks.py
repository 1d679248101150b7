"""Worker entry points for learning: they take ids and call a service."""

from __future__ import annotations

from .embedding_services import expert_embedding_refresh, expert_embeddings_backfill
from .onboarding_emails import onboarding_emails_send_due


def refresh_expert_embedding(page_id: int) -> None:
    expert_embedding_refresh(page_id=page_id)


def backfill_expert_embeddings() -> int:
    return expert_embeddings_backfill()


def send_onboarding_emails() -> dict[str, int]:
    return onboarding_emails_send_due()
