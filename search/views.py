from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from .selectors import site_search


def search(request: HttpRequest) -> HttpResponse:
    outcome = site_search(raw_query=request.GET.get("q"), raw_page=request.GET.get("page"))
    return TemplateResponse(request, "search/search.html", outcome.context)
