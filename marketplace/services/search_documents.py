"""The browse page's search documents on PostgreSQL: one weighted tsvector per expert page.

``expert_search_documents_refresh`` rebuilds the documents of some (or all) expert
pages from the rows as they are in the database, in one statement, so it can run
after any change: a publish, a new expert, a renamed category, a bulk import. It
does nothing on other databases, where browse keeps Wagtail's search backend.

Weights: the expert's name A; headline and skills B; bio and category names C.
Each page is analysed with its own language's text search configuration
(``SEARCH_CONFIGS``); ``ExpertPage.objects.matching`` queries them.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection

from ..models import Category, ExpertPage, ExpertPageSkill, ExpertSearchDocument
from ..models.search import DEFAULT_SEARCH_CONFIG, SEARCH_CONFIGS, search_documents_supported


def _config_case(column: str) -> str:
    whens = " ".join(f"WHEN '{code}' THEN '{config}'" for code, config in SEARCH_CONFIGS.items())
    return f"(CASE {column} {whens} ELSE '{DEFAULT_SEARCH_CONFIG}' END)::regconfig"


def expert_search_documents_refresh(*, page_ids: Iterable[int] | None = None) -> int:
    """Rebuild the search documents of ``page_ids`` (every expert page when None); returns rows written."""
    if not search_documents_supported():
        return 0
    ids = None if page_ids is None else sorted({int(pk) for pk in page_ids})
    if ids == []:
        return 0
    page_table = ExpertPage._meta.db_table
    skill_table = ExpertPageSkill._meta.db_table
    tag_table = ExpertPageSkill.tag.field.related_model._meta.db_table
    category_table = Category._meta.db_table
    category_links = ExpertPage.categories.through._meta.db_table
    sql = f"""
        INSERT INTO {ExpertSearchDocument._meta.db_table} (page_id, vector)
        SELECT expert.page_ptr_id,
               setweight(to_tsvector(doc.config, coalesce(page.title, '')), 'A')
            || setweight(to_tsvector(doc.config, concat_ws(' ', expert.headline, (
                   SELECT string_agg(tag.name, ' ') FROM {skill_table} skill
                   JOIN {tag_table} tag ON tag.id = skill.tag_id
                   WHERE skill.content_object_id = expert.page_ptr_id))), 'B')
            || setweight(to_tsvector(doc.config, concat_ws(' ', expert.bio, (
                   SELECT string_agg(category.name, ' ') FROM {category_links} link
                   JOIN {category_table} category ON category.id = link.category_id
                   WHERE link.expertpage_id = expert.page_ptr_id))), 'C')
        FROM {page_table} expert
        JOIN wagtailcore_page page ON page.id = expert.page_ptr_id
        JOIN wagtailcore_locale locale ON locale.id = page.locale_id
        CROSS JOIN LATERAL (SELECT {_config_case("locale.language_code")} AS config) doc
        {"" if ids is None else "WHERE expert.page_ptr_id = ANY(%s)"}
        ON CONFLICT (page_id) DO UPDATE SET vector = EXCLUDED.vector
    """  # noqa: S608 - only table names from the models and the constant SEARCH_CONFIGS; ids are a parameter
    with connection.cursor() as cursor:
        cursor.execute(sql, [] if ids is None else [ids])
        return cursor.rowcount


def expert_search_documents_refresh_for_category(*, category_id: int) -> int:
    through = ExpertPage.categories.through
    ids = through.objects.filter(category_id=category_id).values_list("expertpage_id", flat=True)
    return expert_search_documents_refresh(page_ids=list(ids))
