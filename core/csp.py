"""The Content-Security-Policy header: the site's strict policy, and a looser one of the admins' own."""

from __future__ import annotations

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase


class AreaCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, with ``CONTENT_SECURITY_POLICY_ADMIN`` under ``ADMIN_URL_PREFIXES``.

    Wagtail's admin still ships inline scripts and styles, so it cannot live
    under the public site's ``script-src 'self'``; rather than no policy at all
    it gets one that still refuses plugins, other origins' scripts, framing by
    other sites, foreign form targets and ``<base>`` rewrites. A view that sets
    its own policy (django-csp's decorators) keeps it.
    """

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and parts.config is None and request.path_info.startswith(settings.ADMIN_URL_PREFIXES):
            parts.config = settings.CONTENT_SECURITY_POLICY_ADMIN["DIRECTIVES"]
        return parts
