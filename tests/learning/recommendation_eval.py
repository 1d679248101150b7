"""Builds the labelled catalogue and scores the recommender on it (test and benchmark share this)."""

from __future__ import annotations

from django.test import override_settings

from learning.embedding_services import expert_embeddings_backfill
from learning.models import Goal
from learning.recommendations import expert_recommendations
from learning.services import goal_create
from marketplace.models import Category
from tests.learning.recommendation_cases import CASES, EXPERTS
from tests.marketplace.factories import make_expert


def build_labelled_catalogue(index_page) -> dict[int, str]:
    """Every labelled expert, published and embedded; returns profile id → case key."""
    keys = {}
    for key, (headline, slug, skills) in EXPERTS.items():
        category, _created = Category.objects.get_or_create(
            slug=slug, defaults={"name": slug.replace("-", " ").capitalize()}
        )
        profile = make_expert(
            index_page, name=key.split("_")[1].capitalize(), headline=headline, categories=[category], skills=skills
        )
        keys[profile.pk] = key
    expert_embeddings_backfill(batch=len(EXPERTS) + 10)
    return keys


def evaluate(*, learner, keys: dict[int, str], mode: str = "semantic") -> dict[str, float]:
    """Mean precision at 5 (hits in the top 5 over min(5, relevant)), strict P@5, and P@1."""
    goal = Goal.objects.filter(learner=learner, status=Goal.Status.ACTIVE).first() or goal_create(
        learner=learner, title="placeholder", target_date=None
    )
    capped = strict = first = 0.0
    with override_settings(RECOMMENDATIONS_MODE=mode):
        for title, relevant in CASES:
            Goal.objects.filter(pk=goal.pk).update(title=title)
            ranked = [
                keys[item.page.profile_id] for item in expert_recommendations(user=learner, profile=None, limit=5)
            ]
            hits = len(set(ranked) & relevant)
            capped += hits / min(5, len(relevant))
            strict += hits / 5
            first += 1.0 if ranked and ranked[0] in relevant else 0.0
    count = len(CASES)
    return {"p_at_5_capped": capped / count, "p_at_5_strict": strict / count, "p_at_1": first / count}
