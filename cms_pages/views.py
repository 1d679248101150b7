"""Interfaces of the public site that are not plain page renders."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from .errors import FormRateLimited
from .forms import honeypot_filled
from .services import form_submission_create


def client_ip(request: HttpRequest) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is client-controlled unless a trusted
    # proxy rewrites it, and the rate limit must not be that easy to dodge.
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def serve_form_page(*, page, request: HttpRequest) -> HttpResponse:
    status = 200
    if request.method == "POST":
        form = page.get_form(request.POST, request.FILES, page=page, user=request.user)
        if form.is_valid():
            if honeypot_filled(form):
                # Look like success to the bot; store and send nothing.
                return page.render_landing_page(request, None)
            try:
                submission = form_submission_create(page=page, form=form, client_ip=client_ip(request))
            except FormRateLimited as error:
                form.add_error(None, error.message)
                status = 429
            else:
                return page.render_landing_page(request, submission)
        elif status == 200:
            status = 400
    else:
        form = page.get_form(page=page, user=request.user)
    context = page.get_context(request)
    context["form"] = form
    return TemplateResponse(request, page.get_template(request), context, status=status)


# Private areas stay out of search engines; the language-prefixed copies too.
ROBOTS_DISALLOW = [
    "/admin/",
    "/django-admin/",
    "/accounts/",
    "/dashboard/",
    "/expert/",
    "/api/",
    "/search/",
    "/stripe/",
    "/healthz/",
]


def robots_txt(request: HttpRequest) -> HttpResponse:
    from django.conf import settings

    lines = ["User-agent: *"]
    for path in ROBOTS_DISALLOW:
        lines.append(f"Disallow: {path}")
    for code, _name in settings.LANGUAGES:
        if code != settings.LANGUAGE_CODE:
            lines.append(f"Disallow: /{code}/search/")
    lines += ["", f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
