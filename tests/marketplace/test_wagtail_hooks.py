import pytest
from wagtail.models import WorkflowState

from marketplace.models import Category, ExpertPage, ExpertProfile
from marketplace.services import expert_page_submit_changes
from tests.marketplace.factories import make_category, make_expert

pytestmark = pytest.mark.django_db


def test_marketplace_snippets_are_listed_for_staff(client, staff_user):
    make_category("Data", "data")
    client.force_login(staff_user)
    for url in (
        "/admin/snippets/marketplace/category/",
        "/admin/snippets/marketplace/language/",
        "/admin/snippets/marketplace/expertprofile/",
    ):
        assert client.get(url).status_code == 200, url
    assert client.get("/admin/snippets/marketplace/category/").content.decode().count("Data") >= 1


def test_the_admin_refuses_a_third_category_level(client, staff_user):
    top = make_category("Data", "data")
    sub = make_category("Python", "python-dev", parent=top)
    client.force_login(staff_user)
    response = client.post(
        "/admin/snippets/marketplace/category/add/",
        {
            "name": "Pandas",
            "slug": "pandas",
            "parent": str(sub.pk),
            "description": "",
            "sort_order": "0",
            "seo_title": "",
            "seo_description": "",
        },
    )
    assert response.status_code == 200
    assert not Category.objects.filter(slug="pandas").exists()
    response = client.post(
        "/admin/snippets/marketplace/category/add/",
        {
            "name": "SQL",
            "slug": "sql",
            "parent": str(top.pk),
            "description": "",
            "sort_order": "1",
            "seo_title": "",
            "seo_description": "",
        },
    )
    assert response.status_code == 302
    assert Category.objects.get(slug="sql").parent == top


def test_a_moderator_approves_a_submitted_profile_in_the_wagtail_admin(client, expert_index, staff_user):
    profile = make_expert(expert_index, name="Ada Lovelace", headline="Old headline")
    expert_page_submit_changes(profile=profile, user=profile.user, changes={"headline": "New headline"})
    page = ExpertPage.objects.get(profile=profile)
    state = WorkflowState.objects.get(object_id=str(page.pk), status=WorkflowState.STATUS_IN_PROGRESS)
    task_state = state.current_task_state
    client.force_login(staff_user)
    response = client.post(
        f"/admin/pages/workflow/action/{page.pk}/approve/{task_state.pk}/", {"comment": "Looks good"}
    )
    assert response.status_code == 302 and response["Location"] == f"/admin/pages/{page.pk}/edit/"
    page.refresh_from_db()
    assert page.headline == "New headline" and page.live and not page.has_unpublished_changes


ADD_PROFILE = "/admin/snippets/marketplace/expertprofile/add/"


def add_profile_form(**overrides):
    data = {
        "email": "",
        "headline": "Data pipelines",
        "status": "paused",
        "time_zone": "Asia/Kolkata",
        "currency": "EUR",
    }
    data.update(overrides)
    return data


def test_staff_make_an_existing_account_an_expert_from_the_admin(client, expert_index, staff_user, learner):
    client.force_login(staff_user)
    assert client.get(ADD_PROFILE).status_code == 200
    response = client.post(ADD_PROFILE, add_profile_form(email=learner.email.upper()))
    assert response.status_code == 302, response.content.decode()[:2000]
    profile = ExpertProfile.objects.get(user=learner)
    assert (profile.status, profile.time_zone, profile.currency) == ("paused", "Asia/Kolkata", "EUR")
    page = ExpertPage.objects.get(profile=profile)
    assert page.live and page.headline == "Data pipelines" and page.get_parent().pk == expert_index.pk
    learner.refresh_from_db()
    assert learner.is_expert


@pytest.mark.parametrize(
    ("email", "error"),
    [
        ("nobody@example.com", "No active account uses this address"),
        ("not an email", "Enter a valid email address"),
        ("", "This field is required"),
    ],
)
def test_adding_an_expert_profile_refuses_bad_input_clearly(client, expert_index, staff_user, email, error):
    client.force_login(staff_user)
    response = client.post(ADD_PROFILE, add_profile_form(email=email))
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not ExpertProfile.objects.exists()


def test_an_account_that_already_is_an_expert_is_refused(client, expert_index, staff_user):
    profile = make_expert(expert_index, name="Ada Lovelace")
    client.force_login(staff_user)
    response = client.post(ADD_PROFILE, add_profile_form(email=profile.user.email))
    assert response.status_code == 200
    assert "already has an expert profile" in response.content.decode()
    assert ExpertProfile.objects.count() == 1


def test_without_an_experts_page_the_add_form_says_so(client, home_page, staff_user, learner):
    client.force_login(staff_user)
    response = client.post(ADD_PROFILE, add_profile_form(email=learner.email))
    assert response.status_code == 200
    assert "Publish the Experts page first" in response.content.decode()
    assert not ExpertProfile.objects.exists()


def test_editing_a_profile_keeps_its_account(client, expert_index, staff_user):
    profile = make_expert(expert_index, name="Ada Lovelace")
    client.force_login(staff_user)
    url = f"/admin/snippets/marketplace/expertprofile/edit/{profile.pk}/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"status": "paused", "time_zone": "Europe/Berlin", "currency": "USD"})
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.status == "paused" and profile.user.email
