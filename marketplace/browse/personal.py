"""The "Best match for your goals" sort: a registry, because the catalogue knows nothing of goals.

``learning`` (above the catalogue) registers a ranker in its ``AppConfig.ready``: given a signed-in
user it returns expert page ids, best first, or an empty list when it has nothing to go on. Browse
puts those pages first, in that order, then the rest in the default order; an anonymous visitor or
a learner without goals or interests simply gets the default order.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

PERSONAL_SORT = "for_you"

personal_rankers: list[Callable[[Any], list[int]]] = []


def personal_ranking(user) -> list[int]:
    if user is None or not user.is_authenticated:
        return []
    for ranker in personal_rankers:
        ranked = ranker(user)
        if ranked:
            return ranked
    return []
