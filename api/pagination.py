"""Cursor pagination for every list: opaque ``cursor`` links, a bounded page size, no total count.

Bookings use DRF's ``CursorPagination`` over ``-start`` (indexed with the
learner or expert, nearly unique; ties are broken by DRF's offset within the
cursor). The expert list cannot: its "best match" order is a text-search rank
or a rank from Wagtail's backend, which no keyset can seek to. Its cursor
therefore carries a position in the same sorted list, bounded by browse's
``COUNT_LIMIT`` like the page numbers of the browse page, so no cursor makes
the database skip more than a thousand rows.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from core.parsing import parse_int
from marketplace.selectors.browse import COUNT_LIMIT

MAX_PAGE_SIZE = 50


def requested_page_size(request: Request, *, default: int, query_param: str = "page_size") -> int:
    """``page_size`` from the query: 1 to ``MAX_PAGE_SIZE``, or the default when absent. Anything else
    (0, 10000, "ten") is a 400 naming the field rather than a silently different page."""
    raw = request.query_params.get(query_param)
    if raw is None:
        return default
    size = parse_int(raw, minimum=1, maximum=MAX_PAGE_SIZE)
    if size is None:
        raise ValidationError({query_param: [_("Give a page size from 1 to %(max)d.") % {"max": MAX_PAGE_SIZE}]})
    return size


class BoundedCursorPagination(CursorPagination):
    """DRF's cursor pagination with a ``page_size`` of 1 to ``MAX_PAGE_SIZE`` (a 400 outside it)."""

    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    invalid_cursor_message = gettext_lazy("This cursor is not valid; start again from the first page.")

    def get_page_size(self, request: Request) -> int:
        return requested_page_size(request, default=self.page_size, query_param=self.page_size_query_param)


class StartCursorPagination(BoundedCursorPagination):
    """Newest start first; ``page_size`` up to ``MAX_PAGE_SIZE``.

    ``start`` alone, not ``(start, pk)``: the (learner, start) and (expert, start) indexes
    then give the order, and PostgreSQL reads one page of rows instead of joining and
    sorting all of a user's bookings (32 ms at 500 bookings, measured). A start is nearly
    unique per user (overlapping sessions are refused); DRF's cursor breaks the rare tie
    (a cancelled session and its rebooking) with an offset.
    """

    ordering = ("-start",)
    page_size = 20


class PublishedCursorPagination(BoundedCursorPagination):
    """An expert's public reviews, newest publication first; ``page_size`` up to ``MAX_PAGE_SIZE``.

    Publication times are unique in practice per expert except for reviews the job published in
    one run; DRF's cursor breaks those ties with an offset, as for bookings.
    """

    ordering = ("-published_at",)
    page_size = 10


class PositionCursorPagination:
    """A cursor over a sorted list that keyset pagination cannot seek: the position, encoded and bounded."""

    cursor_query_param = "cursor"
    page_size = 12
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    limit = COUNT_LIMIT

    def page_size_of(self, request: Request) -> int:
        return requested_page_size(request, default=self.page_size, query_param=self.page_size_query_param)

    def position_of(self, request: Request) -> int:
        raw = request.query_params.get(self.cursor_query_param)
        if raw is None:
            return 0
        try:
            text = base64.urlsafe_b64decode(raw.encode("ascii") + b"==").decode("ascii")
        except (ValueError, binascii.Error, UnicodeError):
            text = ""
        position = parse_int(text.removeprefix("p="), minimum=0, maximum=self.limit) if text.startswith("p=") else None
        if position is None:
            raise NotFound(_("This cursor is not valid; start again from the first page."))
        return position

    def paginate(self, queryset, request: Request) -> tuple[list[Any], str | None, str | None]:
        """One slice of ``queryset`` (one query; one more row tells whether a next page exists)."""
        size = self.page_size_of(request)
        position = self.position_of(request)
        rows = list(queryset[position : position + size + 1])
        more = len(rows) > size and position + size < self.limit
        url = request.build_absolute_uri()
        next_url = replace_query_param(url, self.cursor_query_param, self._encode(position + size)) if more else None
        previous_url = None
        if position > 0:
            back = max(0, position - size)
            previous_url = (
                replace_query_param(url, self.cursor_query_param, self._encode(back))
                if back
                else remove_query_param(url, self.cursor_query_param)
            )
        return rows[:size], next_url, previous_url

    @staticmethod
    def _encode(position: int) -> str:
        return base64.urlsafe_b64encode(f"p={position}".encode()).decode("ascii").rstrip("=")

    @staticmethod
    def response(results: list[Any], next_url: str | None, previous_url: str | None) -> Response:
        return Response({"next": next_url, "previous": previous_url, "results": results})
