"""What a caller may do: signed in, and with a token only within its scopes; experts for the expert API."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.permissions import BasePermission, IsAuthenticated

from accounts.models import ApiToken

from .errors import ProblemError

SAFE = ("GET", "HEAD", "OPTIONS")


class TokenScope(BasePermission):
    """A session may do what its user may; a token only what its scopes name (``read``, ``book``, ``expert``)."""

    read_scope = "read"
    write_scope = "read"

    def has_permission(self, request, view) -> bool:
        token = request.auth
        if not isinstance(token, ApiToken):
            return True
        needed = self.read_scope if request.method in SAFE else self.write_scope
        if needed not in token.scopes:
            raise ProblemError(
                _("This token lacks the “%(scope)s” scope.") % {"scope": needed}, code="insufficient_scope", status=403
            )
        return True


class IsExpert(BasePermission):
    message = gettext_lazy("Only experts can use this endpoint.")

    def has_permission(self, request, view) -> bool:
        return bool(request.user.is_authenticated and request.user.is_expert)


def scoped(read: str, *, post: str | None = None, expert: bool = False) -> list:
    """Permission classes for a view: signed in, the token's scope for reads (``read``) and writes (``post``)."""
    scope = type("Scope", (TokenScope,), {"read_scope": read, "write_scope": post or read})
    return [IsAuthenticated, scope, *([IsExpert] if expert else [])]
