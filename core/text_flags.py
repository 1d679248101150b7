"""Why a piece of user text deserves a moderator's look: links, contact details, listed words, payment requests.

Pure text checks shared by every place people write to each other (reviews, messages); the kernel
imports no project app, so the word lists come in as arguments. Nothing here blocks anything: a
link or a phone number is a reason to look, not proof of abuse.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_LINK = re.compile(r"(https?://|www\.|(?<![@\w.-])[\w-]+\.(com|net|org|io|me|ly|co|info|biz)\b)", re.IGNORECASE)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
# Seven or more digits, allowing the separators people write phone numbers with.
_PHONE = re.compile(r"(?:\+|\b)\d(?:[\s().-]*\d){6,}")
# Asking to be paid outside the platform: payment apps, bank details, "pay me directly".
_PAYMENT = re.compile(
    r"\b(iban|swift|bic|sort code|routing number|bank transfer|wire transfer|paypal|venmo|zelle|cash ?app|"
    r"revolut|western union|crypto|bitcoin|usdt|pay (me )?(directly|outside|off[- ]platform)|"
    r"(outside|off) (of )?(the )?(platform|taptime))\b",
    re.IGNORECASE,
)


def text_flags(*texts: str, words: Iterable[str] = (), payment: bool = False) -> str:
    """The reasons found in ``texts``, comma-separated in a fixed order ("link,email,phone,word,payment"), or "".

    ``words``: a configurable list matched as whole words, case-insensitively. ``payment``: also look
    for requests to be paid off the platform (messages ask for it; reviews keep their old reasons).
    """
    joined = "\n".join(texts)
    found = []
    if _LINK.search(joined):
        found.append("link")
    if _EMAIL.search(joined):
        found.append("email")
    if _PHONE.search(joined):
        found.append("phone")
    listed = [word.strip().lower() for word in words if word.strip()]
    lowered = joined.lower()
    if any(re.search(rf"\b{re.escape(word)}\b", lowered) for word in listed):
        found.append("word")
    if payment and _PAYMENT.search(joined):
        found.append("payment")
    return ",".join(found)
