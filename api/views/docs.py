"""The API documentation page: Swagger UI from our own static files under the site's strict CSP."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularSwaggerSplitView

# Swagger UI adds one fixed <style> element of its own at start-up; this hash allows exactly that one
# (no 'unsafe-inline'). A Swagger UI upgrade that changes it shows up in tests/api/e2e/test_docs_page.py.
SWAGGER_UI_STYLE_HASH = "'sha256-MMpT0iDxyjALd9PdfepImGX3DBfJPXZ4IlDWdPAgtn0='"


class ApiDocs(SpectacularSwaggerSplitView):
    """The split view serves its start-up script as a file of its own, so no inline script is needed."""

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        response._csp_update = {"style-src": [SWAGGER_UI_STYLE_HASH]}
        return response
