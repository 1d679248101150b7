"""The browse page's own full-text document per expert page (PostgreSQL).

Wagtail's database search backend matches ``title || body`` of its shared index
table, an expression its GIN indexes cannot serve, so a keyword on the browse
page ranked every expert page of the site (123–178 ms p95 at 10,000 experts).
Here each expert page has one weighted ``tsvector`` with a GIN index (created by
migration 0009 on PostgreSQL only). It lives in its own table rather than on the
page so page revisions never copy it and a page save never writes a stale one:
``marketplace.search.expert_search_refresh`` rebuilds it from the live rows.
Site search (``search/``) keeps using Wagtail's index; SQLite (the embedded demo)
keeps the Wagtail search path for browse as well.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchVectorField
from django.db import models


class ExpertSearchDocument(models.Model):
    page = models.OneToOneField(
        "marketplace.ExpertPage", primary_key=True, on_delete=models.CASCADE, related_name="search_document"
    )
    # name (A), headline and skills (B), bio and category names (C), in the page language's config.
    vector = SearchVectorField(null=True)

    class Meta:
        verbose_name = "expert search document"

    def __str__(self) -> str:
        return f"search document of page {self.page_id}"
