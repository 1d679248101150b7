"""Wagtail's page view-restriction check in one query instead of two.

On every page request Wagtail's ``on_serve_page`` hook calls
``page.get_view_restrictions()``, which loads the page's ancestors (to resolve
aliases to their source pages) and then the restrictions: two queries. The
ancestors' paths follow from the page's own ``path``, and the alias chains can be
followed inside the database with a recursive CTE (PostgreSQL and SQLite both
have ``WITH RECURSIVE``), so one query returns the same restrictions.

Same answer as Wagtail's method: the page and each ancestor count, an alias
counts as the page it is an alias of (followed to the end of the chain), and an
alias never has restrictions of its own. Pages opt in with the mixin.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from wagtail.models import Page, PageViewRestriction


def restricting_page_ids_sql(paths: list[str]) -> RawSQL:
    table = Page._meta.db_table
    placeholders = ", ".join(["%s"] * len(paths))
    sql = (
        f"WITH RECURSIVE chain (id, alias_of_id) AS ("  # noqa: S608
        f" SELECT id, alias_of_id FROM {table} WHERE path IN ({placeholders})"
        f" UNION SELECT source.id, source.alias_of_id FROM {table} source"
        f" INNER JOIN chain ON source.id = chain.alias_of_id"
        f") SELECT id FROM chain WHERE alias_of_id IS NULL"
    )
    # Only the table name (from model meta) is interpolated; the paths are parameters.
    return RawSQL(sql, paths)  # noqa: S611


class OneQueryViewRestrictionsMixin:
    """Mix into a Page subclass: ``get_view_restrictions()`` costs one query."""

    def get_view_restrictions(self) -> QuerySet[PageViewRestriction]:
        steplen = Page.steplen
        paths = [self.path[: steplen * depth] for depth in range(1, len(self.path) // steplen + 1)]
        return PageViewRestriction.objects.filter(page_id__in=restricting_page_ids_sql(paths))
