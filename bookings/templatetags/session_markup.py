"""A very small, safe Markdown subset for session notes: the text is escaped first, then formatted.

Supported: ``**bold**``, ``*italic*``, ```code```, lines starting with ``- `` as a
list, blank lines between paragraphs, single line breaks kept. No links, images
or HTML: everything the user typed comes out escaped, and only the tags made
here (p, br, strong, em, code, ul, li) are added.
"""

from __future__ import annotations

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_CODE = re.compile(r"`([^`\n]+)`")
_BOLD = re.compile(r"\*\*(?=\S)([^*\n]+?)(?<=\S)\*\*")
_ITALIC = re.compile(r"(?<![*\w])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![*\w])")


def _inline(text: str) -> str:
    parts = _CODE.split(text)
    out = []
    # Odd parts are code spans: shown literally, no bold or italic inside.
    for index, part in enumerate(parts):
        if index % 2:
            out.append(f"<code>{part}</code>")
        else:
            out.append(_ITALIC.sub(r"<em>\1</em>", _BOLD.sub(r"<strong>\1</strong>", part)))
    return "".join(out)


def render_note(text: str) -> SafeString:
    blocks = re.split(r"\n\s*\n", escape(text or "").strip())
    html = []
    for block in blocks:
        if not block.strip():
            continue
        lines = block.split("\n")
        if all(line.lstrip().startswith("- ") for line in lines):
            items = "".join(f"<li>{_inline(line.lstrip()[2:].strip())}</li>" for line in lines)
            html.append(f"<ul>{items}</ul>")
        else:
            html.append("<p>" + "<br>".join(_inline(line) for line in lines) + "</p>")
    return mark_safe("".join(html))  # noqa: S308 - built from escaped text and our own tags only


@register.filter(name="note_markup")
def note_markup(text: str) -> SafeString:
    return render_note(text)
