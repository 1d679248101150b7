"""Expert vectors for recommendations: written by the worker, never during a request.

``expert_embedding_refresh`` embeds one live expert page (headline, topics, skills, the start
of the bio) and stores it; a page whose text is unchanged keeps its row untouched. It runs from
the worker when a page is published (learning.receivers queues it on commit) and from the hourly
``expert_embeddings_backfill`` job, which catches pages published while the worker was down and
rows written by an older model.
"""

from __future__ import annotations

import hashlib

from django.db.models import F, Q

from marketplace.models import ExpertPage

from .embeddings import MODEL_NAME, encoder
from .models import ExpertEmbedding

BIO_CHARS = 600  # the model reads 256 tokens at most; the bio's opening says what an expert teaches
BACKFILL_BATCH = 200


def expert_embedding_text(page: ExpertPage) -> str:
    topics = ", ".join(category.name for category in page.categories.all())
    skills = ", ".join(tag.name for tag in page.skills.all())
    parts = [page.headline, topics and f"Topics: {topics}.", skills and f"Skills: {skills}.", page.bio[:BIO_CHARS]]
    return "\n".join(part for part in parts if part)


def expert_embedding_refresh(*, page_id: int) -> ExpertEmbedding | None:
    page = (
        ExpertPage.objects.live()
        .filter(pk=page_id)
        .select_related("profile")
        .prefetch_related("categories", "skills")
        .first()
    )
    if page is None:
        ExpertEmbedding.objects.filter(page_id=page_id).delete()
        return None
    text = expert_embedding_text(page)
    digest = hashlib.sha256(f"{MODEL_NAME}\n{text}".encode()).hexdigest()
    current = ExpertEmbedding.objects.filter(page_id=page_id).first()
    if current is not None and current.digest == digest:
        return current
    vector = encoder().encode([text])[0].tobytes()
    embedding, _created = ExpertEmbedding.objects.update_or_create(
        page_id=page_id,
        defaults={"profile_id": page.profile_id, "model": MODEL_NAME, "digest": digest, "vector": vector},
    )
    return embedding


def expert_embedding_forget(*, page_id: int) -> None:
    ExpertEmbedding.objects.filter(page_id=page_id).delete()


def expert_embeddings_backfill(*, batch: int = BACKFILL_BATCH) -> int:
    """Embed live pages with no row, a row from another model, or edited since; drop rows of dead pages."""
    ExpertEmbedding.objects.exclude(page__live=True).delete()
    stale = (
        ExpertPage.objects.live()
        .filter(
            Q(pk__in=ExpertEmbedding.objects.exclude(model=MODEL_NAME).values("page_id"))
            | ~Q(pk__in=ExpertEmbedding.objects.values("page_id"))
            | Q(pk__in=ExpertEmbedding.objects.filter(updated_at__lt=F("page__last_published_at")).values("page_id"))
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:batch]
    )
    done = 0
    for page_id in list(stale):
        expert_embedding_refresh(page_id=page_id)
        done += 1
    return done
