"""The browse page's own full-text document per expert page (PostgreSQL).

Wagtail's database search backend matches ``title || body`` of its shared index
table, an expression its GIN indexes cannot serve, so a keyword on the browse
page would rank every expert page of the site. Here each expert page has one
weighted ``tsvector`` with a GIN index (PostgreSQL only, migration 0002). It lives
in its own table rather than on the page, so page revisions never copy it and a
page save never writes a stale one: ``marketplace.services.search_documents``
rebuilds it from the live rows. Site search (``search/``) keeps using Wagtail's
index; SQLite (the embedded demo) keeps the Wagtail search path for browse too.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchVectorField
from django.db import connection, models

# Locale language code → PostgreSQL text search configuration; anything else: "simple".
# Each page is analysed with its own language's configuration, and a query against
# a locale's pages uses the same one, so "Datenanalysen" finds "Datenanalyse".
SEARCH_CONFIGS = {"en": "english", "es": "spanish", "de": "german", "fr": "french", "pt": "portuguese"}
DEFAULT_SEARCH_CONFIG = "simple"


def search_documents_supported() -> bool:
    return connection.vendor == "postgresql"


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
