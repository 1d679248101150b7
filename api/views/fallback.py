"""An address under /api/ that names no endpoint: a 404 problem document, like every other API error."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from ..errors import PROBLEM_CONTENT_TYPE, PROBLEM_TYPE


@csrf_exempt  # it changes nothing, and a POST to a wrong address must get the same 404 problem
def not_found(request: HttpRequest) -> JsonResponse:
    body = {
        "type": PROBLEM_TYPE.format(code="not_found"),
        "title": "Not Found",
        "status": 404,
        "detail": _("There is no API endpoint at this address."),
        "code": "not_found",
        "instance": request.path,
    }
    return JsonResponse(body, status=404, content_type=PROBLEM_CONTENT_TYPE)
