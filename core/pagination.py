"""Page numbers from a query string, read the same way on every listing."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _


def page_number(raw: Any, notices: list[str] | None = None) -> int:
    """A page number of 1 or more from ``?page=``; anything else is page 1 (with a notice when a list is given).

    Oversized numbers are left to the caller, which knows the last page.
    """
    if raw in (None, ""):
        return 1
    try:
        number = int(str(raw).strip())
    except (TypeError, ValueError):
        if notices is not None:
            notices.append(_("“%(page)s” is not a page number; showing the first page.") % {"page": str(raw)[:20]})
        return 1
    if number < 1:
        if notices is not None:
            notices.append(_("Page numbers start at 1; showing the first page."))
        return 1
    return number
