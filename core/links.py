"""Links people typed in, as they may be put into an ``href``."""

from __future__ import annotations

from urllib.parse import urlsplit


def web_link(url: str) -> str:
    """``url`` if it is an absolute http(s) address, else "".

    Forms already refuse other schemes (URLField); this guards what is rendered
    against rows written another way (imports, old data, raw edits), where a
    ``javascript:`` link would run in the visitor's page when clicked.
    """
    candidate = (url or "").strip()
    parts = urlsplit(candidate)
    if parts.scheme.lower() in ("http", "https") and parts.netloc and candidate == url:
        return candidate
    return ""
