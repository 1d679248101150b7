"""Experts for the learner's goals: the scoring rule, its reasons, and its bounded queries."""

from datetime import time

import pytest
from django.test import TestCase
from django.urls import reverse

from bookings.models import WeeklyHours
from learning.embedding_services import expert_embedding_refresh, expert_embeddings_backfill
from learning.models import ExpertEmbedding
from learning.recommendation_times import times_reason
from learning.recommendations import expert_recommendations, ranked_page_ids
from learning.services import goal_create, learner_interests_set, learner_preferences_set
from marketplace.models import ExpertPage, Language
from tests.factories import UserFactory
from tests.marketplace.factories import make_category, make_expert

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(expert_index):
    cloud = make_category("Cloud", "cloud-rec")
    aws = make_category("AWS", "aws-rec", parent=cloud)
    cooking = make_category("Cooking", "cooking-rec")
    Language.objects.get_or_create(code="de", defaults={"name": "German"})
    experts = {
        "german_aws": make_expert(
            expert_index, name="Greta", categories=[aws], languages=("de",), prices={60: "50"}, currency="EUR"
        ),
        "english_cloud": make_expert(
            expert_index, name="Eli", categories=[cloud], prices={60: "300"}, rating="5", rating_count=10
        ),
        "cook": make_expert(expert_index, name="Carla", categories=[cooking], languages=("de",), prices={60: "20"}),
    }
    return {"cloud": cloud, "aws": aws, **experts}


def test_experts_are_ranked_by_topic_language_budget_and_rating_with_reasons(learner, catalogue):
    learner_interests_set(user=learner, categories=[catalogue["cloud"]])
    profile = learner_preferences_set(
        user=learner,
        session_minutes=60,
        budget_min_minor=None,
        budget_max_minor=8000,
        currency="EUR",
        languages=Language.objects.filter(code="de"),
        times_of_day=[],
    )
    ranked = expert_recommendations(user=learner, profile=profile)
    assert [item.page.profile for item in ranked] == [catalogue["german_aws"], catalogue["english_cloud"]]
    first = ranked[0]
    assert "teaches AWS" in first.reasons and "speaks German" in first.reasons and "within your budget" in first.reasons
    assert ranked[1].score == 3.0  # 2 for the topic + 5/5 rating (no vectors stored: no semantic term)


def test_no_topics_no_recommendations_and_the_dashboard_explains_why(client, learner, catalogue):
    assert expert_recommendations(user=learner, profile=None) == []
    learner_interests_set(user=learner, categories=[catalogue["aws"]])
    client.force_login(learner)
    page = client.get(reverse("learning_progress")).content.decode()
    assert "Experts for your goals" in page and "Because:" in page and "Greta" in page


def _hours(profile, weekday, start, end):
    return WeeklyHours.objects.create(profile=profile, weekday=weekday, start=time(start), end=time(end))


def test_goal_meaning_finds_an_expert_with_no_topic_in_common_and_says_why(learner, expert_index):
    architect = make_expert(expert_index, name="Anna", headline="Distributed systems architect for scalable backends")
    make_expert(expert_index, name="Carl", headline="Italian cooking: fresh pasta and sauces")
    expert_embeddings_backfill()
    goal_create(learner=learner, title="Pass the system design interview", target_date=None)
    ranked = expert_recommendations(user=learner, profile=None)
    assert ranked[0].page.profile == architect
    assert ranked[0].reasons == ["profile close to your goal “Pass the system design interview”"]
    assert ranked[0].score > ranked[1].score


def test_free_times_are_said_in_the_learners_zone(learner, expert_index):
    learner.time_zone = "America/New_York"
    learner.save(update_fields=["time_zone"])
    expert = make_expert(expert_index, name="Greta", headline="Cloud")  # works in Europe/Berlin
    _hours(expert, 2, 0, 2)  # Wednesday 00:00-02:00 in Berlin
    hours = list(expert.weekly_hours.all())
    # Wednesday 00:00 in Berlin is Tuesday evening in New York.
    said = times_reason(hours=hours, expert_zone="Europe/Berlin", learner_zone="America/New_York", wanted=["evening"])
    assert said == "free on Tuesday evenings"
    assert (
        times_reason(hours=hours, expert_zone="Europe/Berlin", learner_zone="Europe/Berlin", wanted=["evening"]) == ""
    )
    assert times_reason(hours=hours, expert_zone="Europe/Berlin", learner_zone="Nowhere/Bad", wanted=[]) == ""
    _hours(expert, 5, 9, 12)
    weekend = times_reason(
        hours=list(expert.weekly_hours.all()), expert_zone="Bad/Zone", learner_zone="UTC", wanted=["weekend"]
    )
    assert weekend == "free at weekends"


def test_free_time_reason_appears_on_a_recommendation(learner, catalogue):
    learner_interests_set(user=learner, categories=[catalogue["cloud"]])
    profile = learner_preferences_set(
        user=learner,
        session_minutes=60,
        budget_min_minor=None,
        budget_max_minor=None,
        currency="",
        languages=Language.objects.none(),
        times_of_day=["evening"],
    )
    _hours(catalogue["english_cloud"], 1, 18, 21)
    ranked = expert_recommendations(user=learner, profile=profile)
    eli = next(item for item in ranked if item.page.profile == catalogue["english_cloud"])
    assert "free on Tuesday evenings" in eli.reasons


def test_publishing_queues_the_embedding_and_unpublishing_forgets_it(settings, expert_index):
    settings.RECOMMENDATIONS_EMBED_ON_PUBLISH = True
    profile = make_expert(expert_index, name="Pia", headline="Python testing")
    page = profile.pages.get()
    assert not ExpertEmbedding.objects.exists()  # created live by the service: the backfill's job
    with TestCase.captureOnCommitCallbacks(execute=True):
        page.save_revision().publish()
    row = ExpertEmbedding.objects.get(page=page)
    assert row.profile == profile and len(bytes(row.vector)) == 384 * 4 and row.model == "all-MiniLM-L6-v2"
    page.unpublish()
    assert not ExpertEmbedding.objects.filter(page=page).exists()


def test_backfill_embeds_missing_pages_once_and_skips_unchanged_text(expert_index):
    profile = make_expert(expert_index, name="Pia", headline="Python testing")
    assert expert_embeddings_backfill() == 1
    row = ExpertEmbedding.objects.get(profile=profile)
    assert expert_embeddings_backfill() == 0
    page = profile.pages.get()
    assert expert_embedding_refresh(page_id=page.pk).updated_at == row.updated_at  # same text: untouched
    ExpertPage.objects.filter(pk=page.pk).update(headline="Rust systems programming")
    assert expert_embedding_refresh(page_id=page.pk).digest != row.digest
    assert expert_embedding_refresh(page_id=999_999) is None


def test_recommendations_use_only_the_learners_own_goals(learner, expert_index):
    make_expert(expert_index, name="Carl", headline="Italian cooking: fresh pasta and sauces")
    expert_embeddings_backfill()
    other = UserFactory(email="other@example.com")
    goal_create(learner=other, title="Cook pasta at home", target_date=None)
    assert expert_recommendations(user=learner, profile=None) == []
    assert expert_recommendations(user=other, profile=None)[0].page.title == "Carl"


def test_an_expert_is_never_recommended_to_themselves_nor_when_paused(expert_index):
    me = make_expert(expert_index, name="Me", headline="Italian cooking")
    make_expert(expert_index, name="Paused", headline="Italian cooking", status="paused")
    expert_embeddings_backfill()
    goal_create(learner=me.user, title="Cook pasta", target_date=None)
    assert expert_recommendations(user=me.user, profile=None) == []


def test_query_count_does_not_grow_with_the_catalogue(learner, expert_index, django_assert_num_queries):
    cloud = make_category("Cloud", "cloud-q")
    learner_interests_set(user=learner, categories=[cloud])
    profile = learner_preferences_set(
        user=learner,
        session_minutes=60,
        budget_min_minor=None,
        budget_max_minor=None,
        currency="",
        languages=Language.objects.none(),
        times_of_day=["evening"],
    )
    goal_create(learner=learner, title="Run cloud servers", target_date=None)

    def grow(count):
        for index in range(count):
            expert = make_expert(expert_index, name=f"E{index}", headline="Cloud servers", categories=[cloud])
            _hours(expert, 1, 18, 20)
        expert_embeddings_backfill()
        expert_recommendations(user=learner, profile=profile)  # the matrix cache is warm after a change

    grow(2)
    with django_assert_num_queries(10):
        expert_recommendations(user=learner, profile=profile)
    grow(6)
    with django_assert_num_queries(10):
        assert len(expert_recommendations(user=learner, profile=profile)) == 3


def test_browse_best_match_for_your_goals_puts_recommended_experts_first(client, learner, expert_index):
    make_expert(expert_index, name="Star", headline="Italian cooking: fresh pasta", rating="5", rating_count=9)
    architect = make_expert(expert_index, name="Anna", headline="Distributed systems architect for scalable backends")
    expert_embeddings_backfill()
    goal_create(learner=learner, title="Pass the system design interview", target_date=None)
    url = expert_index.url + "?sort=for_you"

    def names(response):
        html = response.content.decode()
        return sorted(("Star", "Anna"), key=html.index)

    assert client.get(url).status_code == 200
    assert names(client.get(url)) == ["Star", "Anna"]  # anonymous: the default order (rating first)
    client.force_login(learner)
    response = client.get(url)
    assert response.status_code == 200 and "Best match for your goals" in response.content.decode()
    assert names(response) == ["Anna", "Star"]
    assert architect.pages.get().pk in ranked_page_ids(learner)
    other = UserFactory(email="nogoals@example.com")
    client.force_login(other)
    assert names(client.get(url)) == ["Star", "Anna"]  # nothing to go on: the default order
    assert client.get(expert_index.url + "?sort=nonsense").status_code == 200
