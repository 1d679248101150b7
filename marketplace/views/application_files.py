"""The only way to an applicant's private files: their documents and their application photo.

Access is checked on every request: the applicant, or a user with the
``marketplace.review_expertapplication`` permission. Everyone else, signed in or
not, gets the same 404 as for a file that does not exist, so an id reveals
nothing. Files go out as attachments with ``nosniff`` and ``no-store`` and a
sandboxing Content-Security-Policy, so even a file a browser opened by mistake
could run nothing on our origin. Reviewers' ``<img>`` tags still show images:
``Content-Disposition`` does not apply to embedded images.
"""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods

from ..selectors.applications import application_for_viewer, document_for_viewer
from ..services.document_checks import EXTENSIONS


def _private_file_response(file, *, content_type: str, filename: str) -> FileResponse:
    try:
        handle = file.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex"
    return response


@require_http_methods(["GET"])
def application_document_file(request: HttpRequest, pk: int) -> FileResponse:
    document = document_for_viewer(request.user, pk)
    if document is None or not document.file:
        raise Http404
    name = slugify(document.title)[:60] or "document"
    return _private_file_response(
        document.file, content_type=document.content_type, filename=f"{name}.{EXTENSIONS[document.content_type]}"
    )


@require_http_methods(["GET"])
def application_photo_file(request: HttpRequest, pk: int) -> FileResponse:
    application = application_for_viewer(request.user, pk)
    if application is None or not application.photo:
        raise Http404
    return _private_file_response(application.photo, content_type="image/jpeg", filename=f"photo-{pk}.jpg")
