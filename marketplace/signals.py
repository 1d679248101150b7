"""The catalogue's receivers: search index, search documents and cached reads stay in step.

Wagtail indexes a page from its post_save signal, which fires before
modelcluster writes the page's tags and many-to-many relations, so the first
index entry would miss skills and categories. Re-indexing once the page is
published (all relations written) fixes that. The browse page's own search
document (PostgreSQL) is rebuilt at the same moment, and for every page of a
category whose name changed.

The browse filter choices are cached; any category or language change drops them.
Browse counts are cached per catalogue version, which any change to an expert's
profile, an expert page's live state or tree position, a category or a language
moves on.
"""

from django.db.models.signals import post_delete, post_save
from wagtail.search import index
from wagtail.signals import page_published, page_unpublished, post_page_move

from .models import Category, ExpertPage, ExpertProfile, ExpertVerification, Language, Package, SessionType
from .selectors.catalogue import browse_choices_invalidate, catalogue_changed
from .services.page_cache import expert_pages_purge
from .services.search_documents import (
    expert_search_documents_refresh,
    expert_search_documents_refresh_for_category,
)


def expert_page_published_receive(sender, instance, **kwargs) -> None:
    index.insert_or_update_object(instance)
    expert_search_documents_refresh(page_ids=[instance.pk])


def category_changed_receive(sender, instance, **kwargs) -> None:
    if kwargs.get("signal") is post_delete:
        # The links are gone with the category: rebuild every page (categories are rarely deleted).
        expert_search_documents_refresh()
    else:
        expert_search_documents_refresh_for_category(category_id=instance.pk)


def expert_public_change_receive(sender, instance, **kwargs) -> None:
    """Prices, packages, the profile or the verification record changed: the expert's pages are purged."""
    profile_id = instance.pk if isinstance(instance, ExpertProfile) else getattr(instance, "profile_id", None)
    if profile_id:
        expert_pages_purge(profile_id=profile_id)


def connect() -> None:
    for model in (ExpertProfile, SessionType, Package, ExpertVerification):
        name = model.__name__
        post_save.connect(expert_public_change_receive, sender=model, dispatch_uid=f"mkt_page_cache_save_{name}")
        post_delete.connect(expert_public_change_receive, sender=model, dispatch_uid=f"mkt_page_cache_del_{name}")
    for model in (Category, Language):
        post_save.connect(browse_choices_invalidate, sender=model, dispatch_uid=f"mkt_choices_save_{model.__name__}")
        post_delete.connect(browse_choices_invalidate, sender=model, dispatch_uid=f"mkt_choices_del_{model.__name__}")
    for model in (Category, Language, ExpertProfile, ExpertPage):
        post_save.connect(catalogue_changed, sender=model, dispatch_uid=f"mkt_catalogue_save_{model.__name__}")
        post_delete.connect(catalogue_changed, sender=model, dispatch_uid=f"mkt_catalogue_del_{model.__name__}")
    for name, signal in (("published", page_published), ("unpublished", page_unpublished), ("moved", post_page_move)):
        signal.connect(catalogue_changed, sender=ExpertPage, dispatch_uid=f"mkt_catalogue_page_{name}")

    page_published.connect(
        expert_page_published_receive, sender=ExpertPage, dispatch_uid="marketplace_reindex_expert_page"
    )
    post_save.connect(category_changed_receive, sender=Category, dispatch_uid="mkt_search_docs_category_save")
    post_delete.connect(category_changed_receive, sender=Category, dispatch_uid="mkt_search_docs_category_del")
