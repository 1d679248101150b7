"""Experts for the learner's goals: semantic match plus explainable signals (decisions 189, 281).

Candidates come from two places and are merged:
  * the closest expert pages by meaning: the learner's goal titles (and interests) are embedded
    with all-MiniLM-L6-v2 (learning.embeddings) and compared with every stored expert vector
    (``ExpertEmbedding``, written by the worker) in one matrix product — a cached matrix, one
    query to see whether it is still current;
  * the pages that teach one of the learner's topics (SQL, ordered by topics matched and rating).
At most ``CANDIDATES`` of each are then scored in full with three queries (pages, their
categories and skills, their weekly hours):

    6 × cosine(best goal, profile)  +  2 per topic matched (at most two)  +  1 per skill that
    shares a word with a goal (at most two)  +  2 if the page lists one of the learner's languages
    +  1.5 if the lowest price is inside the budget (0.5 if within 25 % above)  +  1 if the weekly
    hours fall in the learner's preferred times  +  0.5 for 8+ years of experience when the learner
    rated themselves advanced  +  the average rating / 5

and each point carries the reason shown ("teaches System design; speaks German; free on Tuesday
evenings"). ``RECOMMENDATIONS_MODE = "keywords"`` leaves out the model (and its first term).
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field

import numpy as np
from django.conf import settings
from django.db.models import Count, Max, Prefetch, Q
from django.utils.translation import gettext as _

from bookings.models import WeeklyHours
from core.money import Money
from marketplace.models import Category, ExpertPage, ExpertProfile

from .embeddings import DIMENSIONS, encode_text
from .models import ExpertEmbedding, Goal, LearnerProfile, SkillLevel
from .recommendation_times import times_reason

CANDIDATES = 60
SHOWN = 3
TIME_CHECKED_EXTRA = 12  # beyond the ones shown, the leaders whose free times are checked
_WORD = re.compile(r"\w{3,}", re.UNICODE)
_STOP = frozenset({"the", "and", "for", "with", "learn", "want", "how", "get", "better", "my", "into", "from"})


@dataclass
class Recommendation:
    page: ExpertPage
    score: float
    reasons: list[str] = field(default_factory=list)


@dataclass
class _Matrix:
    key: tuple
    page_ids: np.ndarray
    vectors: np.ndarray


_matrix_lock = threading.Lock()
_matrix_cache: dict[str, _Matrix] = {}


def _expert_matrix() -> _Matrix:
    """Every stored expert vector as one (n, 384) matrix, reloaded only when a row changed."""
    key = tuple(ExpertEmbedding.objects.aggregate(n=Count("pk"), latest=Max("updated_at"), top=Max("pk")).values())
    cached = _matrix_cache.get("experts")
    if cached is not None and cached.key == key:
        return cached
    with _matrix_lock:
        rows = list(ExpertEmbedding.objects.values_list("page_id", "vector"))
        vectors = np.frombuffer(b"".join(bytes(vector) for _page, vector in rows), dtype=np.float32)
        matrix = _Matrix(
            key=key,
            page_ids=np.array([page_id for page_id, _vector in rows], dtype=np.int64),
            vectors=vectors.reshape(len(rows), DIMENSIONS) if rows else np.zeros((0, DIMENSIONS), np.float32),
        )
        _matrix_cache["experts"] = matrix
        return matrix


def _words(text: str) -> set[str]:
    return {word for word in _WORD.findall(text.lower()) if word not in _STOP}


def _semantic(queries: list[str]) -> dict[int, tuple[float, int]]:
    """page id → (best cosine, index of the query that matched best), for the closest pages."""
    if not queries or settings.RECOMMENDATIONS_MODE != "semantic":
        return {}
    matrix = _expert_matrix()
    if not len(matrix.page_ids):
        return {}
    query_vectors = np.stack([np.frombuffer(encode_text(text), dtype=np.float32) for text in queries])
    similarity = matrix.vectors @ query_vectors.T  # (experts, queries)
    best_query = similarity.argmax(axis=1)
    best = similarity[np.arange(len(best_query)), best_query]
    # Over-fetch: some of these may be paused experts or the learner's own page.
    top = np.argpartition(-best, min(CANDIDATES, len(best) - 1))[:CANDIDATES]
    return {int(matrix.page_ids[i]): (float(best[i]), int(best_query[i])) for i in top}


def _learner_context(user, profile: LearnerProfile | None):
    goals = list(Goal.objects.filter(learner=user, status=Goal.Status.ACTIVE).select_related("category").order_by("pk"))
    topics = {category.pk: category.name for category in (profile.interests.all() if profile else [])}
    for goal in goals:
        if goal.category_id:
            topics.setdefault(goal.category_id, goal.category.name)
    return goals, topics


def expert_recommendations(*, user, profile: LearnerProfile | None, limit: int = SHOWN) -> list[Recommendation]:
    goals, topics = _learner_context(user, profile)
    if not topics and not goals:
        return []
    queries = [f"{goal.title} ({goal.category.name})" if goal.category_id else goal.title for goal in goals]
    if topics and not goals:
        queries.append(", ".join(topics.values()))
    close = _semantic(queries)
    # A top category chosen also matches its subcategories, and a subcategory its parent.
    related = dict(Category.objects.filter(Q(pk__in=topics) | Q(parent_id__in=topics)).values_list("pk", "parent_id"))
    wanted = set(topics) | set(related) | {parent for parent in related.values() if parent}
    base = ExpertPage.objects.live().filter(profile__status=ExpertProfile.Status.ACTIVE).exclude(profile__user=user)
    by_topic = []
    if wanted and not close:
        # Keyword mode, or no vectors stored yet: the pages teaching the learner's topics. With
        # vectors, the topic names are part of the embedded goals and interests, so the closest
        # pages already include them (and this join over the catalogue is the slowest query).
        by_topic = list(
            base.filter(categories__in=wanted)
            .annotate(matched=Count("categories", filter=Q(categories__in=wanted), distinct=True))
            .order_by("-matched", "-profile__rating_avg", "pk")
            .values_list("pk", flat=True)[:CANDIDATES]
        )
    pages = list(
        base.filter(pk__in=set(by_topic) | set(close))
        .select_related("profile")
        .prefetch_related(Prefetch("categories", queryset=Category.objects.order_by("sort_order", "name")), "skills")
    )
    advanced = SkillLevel.objects.filter(learner=user, level__gte=3).exists() if pages else False
    context = _Context(
        profile=profile,
        goals=goals,
        wanted=wanted,
        goal_words=set().union(*(_words(goal.title) for goal in goals)) if goals else set(),
        advanced=advanced,
        zone=getattr(user, "time_zone", "") or "UTC",
    )
    results, seen_profiles = [], set()
    for page in sorted(pages, key=lambda item: item.pk):
        if page.profile_id in seen_profiles:
            continue  # one page per expert (translations share a profile)
        seen_profiles.add(page.profile_id)
        results.append(_score(page, close.get(page.pk), context))
    results.sort(key=lambda item: (-item.score, item.page.pk))
    # Free times are worth one point, so only the leaders can still change places because of them:
    # the weekly hours are read (one query) and walked for the first few only.
    if profile and profile.times_of_day and results:
        leaders = results[: limit + TIME_CHECKED_EXTRA]
        hours: dict[int, list[WeeklyHours]] = {}
        for row in WeeklyHours.objects.filter(profile__in=[item.page.profile_id for item in leaders]).order_by(
            "weekday", "start"
        ):
            hours.setdefault(row.profile_id, []).append(row)
        for item in leaders:
            free = times_reason(
                hours=hours.get(item.page.profile_id, []),
                expert_zone=item.page.profile.time_zone,
                learner_zone=context.zone,
                wanted=profile.times_of_day,
            )
            if free:
                item.score = round(item.score + 1, 3)
                position = len(item.reasons) - (1 if item.page.profile.rating_count else 0)
                item.reasons.insert(position, free)
    results.sort(key=lambda item: (-item.score, item.page.pk))
    return results[:limit]


@dataclass
class _Context:
    profile: LearnerProfile | None
    goals: list[Goal]
    wanted: set[int]
    goal_words: set[str]
    advanced: bool
    zone: str
    languages: dict[str, str] = field(default_factory=dict)
    budget_high: float | None = None

    def __post_init__(self) -> None:
        if self.profile is not None:
            self.languages = {language.code: language.name for language in self.profile.languages.all()}
            if self.profile.budget_max_minor is not None and self.profile.currency:
                high = Money(int(self.profile.budget_max_minor), self.profile.currency)
                self.budget_high = float(high.to_reference().amount)


def _score(page: ExpertPage, close: tuple[float, int] | None, ctx: _Context):
    score, reasons = 0.0, []
    topic_names = [category.name for category in page.categories.all() if category.pk in ctx.wanted]
    skills = [tag.name for tag in page.skills.all() if _words(tag.name) & ctx.goal_words]
    taught = list(dict.fromkeys(topic_names[:2] + skills[:2]))
    score += 2.0 * min(len(topic_names), 2) + 1.0 * min(len(skills), 2)
    if taught:
        reasons.append(_("teaches %(topics)s") % {"topics": ", ".join(taught)})
    if close is not None:
        cosine, goal_index = close
        score += 6.0 * max(cosine, 0.0)
        if cosine >= 0.3 and goal_index < len(ctx.goals) and not taught:
            reasons.append(_("profile close to your goal “%(goal)s”") % {"goal": ctx.goals[goal_index].title})
    spoken = [code for code in (page.language_codes or "").split(",") if code in ctx.languages]
    if spoken:
        score += 2
        reasons.append(_("speaks %(language)s") % {"language": ctx.languages[spoken[0]]})
    price = page.profile.price_from_ref_minor
    if ctx.budget_high is not None and price is not None:
        if price <= ctx.budget_high:
            score += 1.5
            reasons.append(_("within your budget"))
        elif price <= ctx.budget_high * 1.25:
            score += 0.5
            reasons.append(_("a little above your budget"))
    if ctx.advanced and page.years_experience >= 8:
        score += 0.5
        reasons.append(_("%(years)s years of experience") % {"years": page.years_experience})
    rating = float(page.profile.rating_avg or 0)
    score += rating / 5
    if page.profile.rating_count:
        reasons.append(_("rated %(rating)s by learners") % {"rating": f"{rating:.1f}"})
    return Recommendation(page=page, score=round(score, 3), reasons=reasons)


BROWSE_RANKED = 60


def ranked_page_ids(user) -> list[int]:
    """Browse's "Best match for your goals" sort (marketplace.browse.personal): page ids, best first."""
    profile = LearnerProfile.objects.filter(user=user).prefetch_related("interests", "languages").first()
    return [item.page.pk for item in expert_recommendations(user=user, profile=profile, limit=BROWSE_RANKED)]
