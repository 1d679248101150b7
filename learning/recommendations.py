"""Experts for the learner's goals: a small, explainable score over the catalogue.

The scoring rule (decision 189), per live expert page of an active expert that teaches at least
one of the learner's topics (interests and goal topics, a subcategory also matching its parent):

    3 points per topic matched (at most two)  +  2 if the page lists one of the learner's languages
    +  2 if the expert's lowest price is inside the learner's budget (1 if within 25 % above it)
    +  the average rating / 5  (0–1, so reviews break ties but never outweigh a topic)

Each point comes with the reason shown to the learner ("because you want to learn Cloud; speaks
German; within your budget"). Two queries for the candidates (pages with matched-topic counts,
their categories), bounded by ``CANDIDATES``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q
from django.utils.translation import gettext as _

from core.money import Money
from marketplace.models import Category, ExpertPage, ExpertProfile

from .models import Goal, LearnerProfile

CANDIDATES = 60
SHOWN = 3


@dataclass
class Recommendation:
    page: ExpertPage
    score: float
    reasons: list[str] = field(default_factory=list)


def _learner_topics(user, profile: LearnerProfile | None) -> dict[int, str]:
    topics = {category.pk: category.name for category in (profile.interests.all() if profile else [])}
    for category_id, name in Goal.objects.filter(
        learner=user, status=Goal.Status.ACTIVE, category__isnull=False
    ).values_list("category_id", "category__name"):
        topics.setdefault(category_id, name)
    return topics


def expert_recommendations(*, user, profile: LearnerProfile | None, limit: int = SHOWN) -> list[Recommendation]:
    topics = _learner_topics(user, profile)
    if not topics:
        return []
    # A top category chosen also matches its subcategories, and a subcategory its parent.
    related = dict(Category.objects.filter(Q(pk__in=topics) | Q(parent_id__in=topics)).values_list("pk", "parent_id"))
    wanted = set(topics) | set(related) | {parent for parent in related.values() if parent}
    pages = list(
        ExpertPage.objects.live()
        .filter(profile__status=ExpertProfile.Status.ACTIVE, categories__in=wanted)
        .exclude(profile__user=user)
        .annotate(matched=Count("categories", filter=Q(categories__in=wanted), distinct=True))
        .select_related("profile")
        .prefetch_related(Prefetch("categories", queryset=Category.objects.order_by("sort_order", "name")))
        .order_by("-matched", "-profile__rating_avg", "pk")[:CANDIDATES]
    )
    languages = {language.code for language in profile.languages.all()} if profile else set()
    language_names = {language.code: language.name for language in profile.languages.all()} if profile else {}
    budget_high = None
    if profile and profile.budget_max_minor is not None and profile.currency:
        budget_high = Money(int(profile.budget_max_minor), profile.currency).to_reference().amount
    results = []
    seen_profiles = set()
    for page in pages:
        if page.profile_id in seen_profiles:
            continue  # one page per expert (translations share a profile)
        seen_profiles.add(page.profile_id)
        names = [category.name for category in page.categories.all() if category.pk in wanted]
        score = 3.0 * min(page.matched, 2)
        reasons = [_("teaches %(topics)s") % {"topics": ", ".join(names[:2])}]
        spoken = [code for code in (page.language_codes or "").split(",") if code in languages]
        if spoken:
            score += 2
            reasons.append(_("speaks %(language)s") % {"language": language_names.get(spoken[0], spoken[0])})
        price = page.profile.price_from_ref_minor
        if budget_high is not None and price is not None:
            if price <= budget_high:
                score += 2
                reasons.append(_("within your budget"))
            elif price <= budget_high * 1.25:
                score += 1
                reasons.append(_("a little above your budget"))
        rating = float(page.profile.rating_avg or 0)
        score += rating / 5
        if page.profile.rating_count:
            reasons.append(_("rated %(rating)s by learners") % {"rating": f"{rating:.1f}"})
        results.append(Recommendation(page=page, score=round(score, 2), reasons=reasons))
    results.sort(key=lambda item: (-item.score, item.page.pk))
    return results[:limit]
