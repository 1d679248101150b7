"""A published expert page is re-embedded by the worker; an unpublished one is forgotten at once.

The embedding (tens of milliseconds of CPU, a second to load the model in a fresh process) never
runs in the editor's request: the task is queued on commit. ``RECOMMENDATIONS_EMBED_ON_PUBLISH``
is off in the test settings (every test that publishes an expert would load the model); the
tests of this wiring turn it on.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django_q.tasks import async_task
from wagtail.signals import page_published, page_unpublished

from marketplace.models import ExpertPage

from .embedding_services import expert_embedding_forget


def expert_page_published_receive(sender, instance, **kwargs) -> None:
    if not settings.RECOMMENDATIONS_EMBED_ON_PUBLISH:
        return
    page_id = instance.pk
    transaction.on_commit(
        lambda: async_task("learning.tasks.refresh_expert_embedding", page_id, task_name=f"embed-page-{page_id}"),
        robust=True,
    )


def expert_page_unpublished_receive(sender, instance, **kwargs) -> None:
    expert_embedding_forget(page_id=instance.pk)


def connect() -> None:
    page_published.connect(expert_page_published_receive, sender=ExpertPage, dispatch_uid="learning_embed_page")
    page_unpublished.connect(expert_page_unpublished_receive, sender=ExpertPage, dispatch_uid="learning_forget_page")
