"""The browse page and the category pages (served by ExpertIndexPage routes)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from ..filters import ExpertBrowseForm
from ..selectors import browse_choices, expert_browse
from ..structured_data import category_page_jsonld


def render_browse(request: HttpRequest, *, index_page, category) -> HttpResponse:
    choices = browse_choices()
    form = ExpertBrowseForm(request.GET, choices=choices)
    result = expert_browse(
        form=form,
        locale_id=index_page.locale_id,
        category=category,
        page_number=request.GET.get("page"),
        language_names=dict(choices["languages"]),
    )
    experts = list(result.page.object_list)
    # Cards show next free times in ``?tz=`` when valid, else the active zone (a signed-in user's own).
    viewer_zone = form.cleaned_data.get("tz") or timezone.get_current_timezone_name()
    subcategories = []
    jsonld = None
    if category is not None:
        prefix = f"{category.name} › "
        subcategories = [
            (slug, name.removeprefix(prefix)) for slug, name in choices["categories"] if name.startswith(prefix)
        ]
        jsonld = category_page_jsonld(category=category, index_page=index_page, expert_pages=experts, request=request)
    if category is not None:
        title = category.seo_title or _("%(name)s experts") % {"name": category.name}
        description = category.seo_description or category.description[:160]
    else:
        title = index_page.seo_title or _("Browse experts")
        description = index_page.search_description or index_page.intro[:160]
    return index_page.render(
        request,
        template="marketplace/expert_index_page.html",
        context_overrides={
            "form": form,
            "result": result,
            "experts": experts,
            "viewer_zone": viewer_zone,
            "category": category,
            "subcategories": subcategories,
            "jsonld": jsonld,
            "page_heading": title,
            "meta_description": description,
            # Filtered, searched and paged listings are for people; the index gets the clean URL.
            "noindex": bool(request.GET),
            "user_filtered": any(key != "page" for key in request.GET),
        },
    )
