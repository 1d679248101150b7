"""What the browse page and the category pages show (``ExpertIndexPage`` renders them)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from core.page_cache import page_cache_skip

from ..models.categories import Category
from ..selectors.browse import expert_browse
from ..selectors.catalogue import browse_choices
from ..structured_data import category_page_jsonld
from .filters import ExpertBrowseForm
from .personal import PERSONAL_SORT, personal_ranking


def browse_listing_context(*, request: HttpRequest, index_page, category: Category | None) -> dict[str, Any]:
    """The listing's template context: the filter form, a page of cards, headings and SEO.

    ``index_page`` is the ``ExpertIndexPage``; its ``expert_pages()`` are what it lists.
    """
    choices = browse_choices()
    form = ExpertBrowseForm(request.GET, choices=choices)
    ranked = None
    if request.GET.get("sort") == PERSONAL_SORT:
        page_cache_skip(request)  # ordered for this person: never stored for others
        ranked = personal_ranking(getattr(request, "user", None))
    result = expert_browse(
        pages=index_page.expert_pages(),
        form=form,
        locale_id=index_page.locale_id,
        category=category,
        page_number=request.GET.get("page"),
        language_names=dict(choices["languages"]),
        ranked=ranked,
    )
    experts = list(result.page.object_list)
    if form.errors:
        page_cache_skip(request)  # a page that reports a filter error is never stored
    # Cards show next free times in ``?tz=`` when valid, else the active zone (a signed-in user's own).
    viewer_zone = form.cleaned_data.get("tz") or timezone.get_current_timezone_name()
    subcategories = []
    context: dict[str, Any] = {}
    if category is not None:
        prefix = f"{category.name} › "
        subcategories = [
            (slug, name.removeprefix(prefix)) for slug, name in choices["categories"] if name.startswith(prefix)
        ]
        title = category.seo_title or _("%(name)s experts") % {"name": category.name}
        description = category.seo_description or category.description[:160]
        # The category's own breadcrumbs and list replace the index page's JSON-LD.
        context["structured_data"] = [
            category_page_jsonld(category=category, index_page=index_page, expert_pages=experts, request=request)
        ]
    else:
        title = index_page.seo_title or _("Browse experts")
        description = index_page.search_description or index_page.intro[:160]
    return {
        **context,
        "form": form,
        "result": result,
        "experts": experts,
        "viewer_zone": viewer_zone,
        "category": category,
        "subcategories": subcategories,
        "page_heading": title,
        "meta_description": description,
        "seo_title": title,
        "seo_description": description,
        # Filtered, searched and paged listings are for people; the index gets the clean URL.
        "noindex": bool(request.GET),
        "user_filtered": any(key != "page" for key in request.GET),
    }
