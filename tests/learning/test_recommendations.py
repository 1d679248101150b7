"""Experts for the learner's goals: the scoring rule, its reasons, and its bounded queries."""


import pytest
from django.urls import reverse

from learning.recommendations import expert_recommendations
from learning.services import learner_interests_set, learner_preferences_set
from marketplace.models import Language
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
