"""Keep the search index in step with an expert page's tags and categories.

Wagtail indexes a page from its post_save signal, which fires before
modelcluster writes the page's tags and many-to-many relations, so the first
index entry would miss skills and categories. Re-indexing once the page is
published (all relations written) fixes that.

The browse filter choices are cached; any category or language change drops them.
"""

from wagtail.search import index
from wagtail.signals import page_published


def reindex_expert_page(sender, instance, **kwargs) -> None:
    index.insert_or_update_object(instance)


def connect() -> None:
    from django.db.models.signals import post_delete, post_save

    from .models import Category, ExpertPage, Language
    from .selectors import browse_choices_invalidate

    for model in (Category, Language):
        post_save.connect(browse_choices_invalidate, sender=model, dispatch_uid=f"mkt_choices_save_{model.__name__}")
        post_delete.connect(browse_choices_invalidate, sender=model, dispatch_uid=f"mkt_choices_del_{model.__name__}")

    page_published.connect(reindex_expert_page, sender=ExpertPage, dispatch_uid="marketplace_reindex_expert_page")
