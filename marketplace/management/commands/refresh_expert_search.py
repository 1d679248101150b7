"""Rebuild the browse search documents: ``manage.py refresh_expert_search``.

Publishing, creating an expert and changing a category keep them current; run this
after writing expert pages in bulk or renaming skill tags. PostgreSQL only.
"""

from django.core.management.base import BaseCommand

from marketplace.models.search import search_documents_supported
from marketplace.services.search_documents import expert_search_documents_refresh


class Command(BaseCommand):
    help = "Rebuild every expert page's browse search document (PostgreSQL)."

    def handle(self, *args, **options) -> None:
        if not search_documents_supported():
            self.stdout.write("Nothing to do: this database uses Wagtail search for browse.")
            return
        written = expert_search_documents_refresh()
        self.stdout.write(self.style.SUCCESS(f"Rebuilt {written} search documents."))
