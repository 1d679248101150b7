"""Staff manage users in the Wagtail admin, whose forms know our user model."""

import pytest
from django.contrib.auth.models import Permission

from accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_staff_see_the_user_list_and_edit_form(client, staff_user, learner):
    client.force_login(staff_user)
    assert client.get("/admin/users/").status_code == 200
    response = client.get(f"/admin/users/edit/{learner.pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'name="full_name"' in body and 'name="time_zone"' in body and 'name="is_expert"' in body
    assert 'name="first_name"' not in body


def test_staff_create_a_user_with_a_full_name(client, staff_user):
    client.force_login(staff_user)
    response = client.post(
        "/admin/users/new/",
        {
            "email": "Newbie@Example.com",
            "full_name": "New Person",
            "time_zone": "Asia/Kathmandu",
            "preferred_language": "es",
            "password1": "a-fine-password-77",
            "password2": "a-fine-password-77",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    user = User.objects.get(email__iexact="newbie@example.com")
    assert (user.full_name, user.time_zone, user.preferred_language) == ("New Person", "Asia/Kathmandu", "es")


def test_editing_in_the_admin_keeps_the_expert_flag(client, staff_user, expert_user):
    client.force_login(staff_user)
    response = client.post(
        f"/admin/users/edit/{expert_user.pk}/",
        {
            "email": expert_user.email,
            "full_name": "Ezra Renamed",
            "time_zone": "Europe/Berlin",
            "preferred_language": "en",
            "is_expert": "on",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    expert_user.refresh_from_db()
    assert expert_user.full_name == "Ezra Renamed" and expert_user.is_expert


def test_a_bad_time_zone_in_the_admin_is_refused(client, staff_user, learner):
    client.force_login(staff_user)
    response = client.post(
        f"/admin/users/edit/{learner.pk}/",
        {
            "email": learner.email,
            "full_name": "X",
            "time_zone": "Nowhere/Land",
            "preferred_language": "en",
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    learner.refresh_from_db()
    assert learner.time_zone == "Europe/Berlin"


def test_staff_without_superuser_cannot_use_the_django_admin(client, staff_user):
    staff_user.is_superuser = False
    staff_user.save()
    response = client.get("/django-admin/")
    assert response.status_code == 302
    client.force_login(staff_user)
    assert client.get("/django-admin/accounts/user/").status_code == 302


def test_superusers_use_the_django_admin(client, staff_user, learner):
    client.force_login(staff_user)
    assert client.get("/django-admin/accounts/user/").status_code == 200
    assert client.get(f"/django-admin/accounts/user/{learner.pk}/change/").status_code == 200


@pytest.fixture
def user_manager(db):
    """Staff who may manage users in the Wagtail admin but are not superusers."""
    manager = UserFactory(email="manager@example.com", is_staff=True)
    manager.user_permissions.add(*Permission.objects.filter(codename__in=["access_admin", "add_user", "change_user"]))
    return manager


def test_a_user_manager_cannot_make_anyone_a_superuser(client, user_manager, learner):
    client.force_login(user_manager)
    assert 'name="is_superuser"' not in client.get(f"/admin/users/edit/{learner.pk}/").content.decode()
    client.post(
        f"/admin/users/edit/{learner.pk}/",
        {
            "email": learner.email,
            "full_name": learner.full_name,
            "time_zone": "Europe/Berlin",
            "preferred_language": "en",
            "is_active": "on",
            "is_superuser": "on",
        },
    )
    response = client.post(
        "/admin/users/new/",
        {
            "email": "root2@example.com",
            "full_name": "Root Two",
            "time_zone": "UTC",
            "preferred_language": "en",
            "is_superuser": "on",
        },
    )
    assert response.status_code == 302
    learner.refresh_from_db()
    assert not learner.is_superuser
    assert not User.objects.get(email="root2@example.com").is_superuser


def test_a_superuser_still_can(client, staff_user, learner):
    client.force_login(staff_user)
    assert 'name="is_superuser"' in client.get(f"/admin/users/edit/{learner.pk}/").content.decode()
