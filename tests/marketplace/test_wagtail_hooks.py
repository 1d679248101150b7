import pytest
from wagtail.models import WorkflowState

from marketplace.models import Category, ExpertPage
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
