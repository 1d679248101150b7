"""The catalogue tells notifications who "the experts of one category" are, for announcements
(notifications sits below the catalogue and cannot ask it)."""

from __future__ import annotations

from notifications.announcements import CategoryAudience, category_audience_register

from .models import Category, ExpertPage


def _choices() -> list[tuple[int, str]]:
    return list(Category.objects.order_by("name").values_list("pk", "name"))


def _user_ids(category_id: int):
    return ExpertPage.objects.live().filter(categories=category_id).values("profile__user_id")


def _categories_of(user) -> set[int]:
    rows = ExpertPage.objects.filter(profile__user=user, categories__isnull=False).values_list("categories", flat=True)
    return set(rows)


def register() -> None:
    category_audience_register(CategoryAudience(choices=_choices, user_ids=_user_ids, categories_of=_categories_of))
