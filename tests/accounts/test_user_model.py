import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from accounts.models import User


@pytest.mark.django_db
class TestUserManager:
    def test_create_user_normalises_the_email_and_hashes_the_password(self):
        user = User.objects.create_user(email="Ada@Example.COM", password="s3cret-pass-word", full_name="Ada Lovelace")
        assert user.email == "ada@example.com"
        assert user.check_password("s3cret-pass-word")
        assert not user.is_staff and not user.is_superuser and not user.is_expert

    def test_create_user_requires_an_email(self):
        with pytest.raises(ValueError, match="email"):
            User.objects.create_user(email="", password="x", full_name="Nobody")

    def test_create_superuser_is_staff_and_superuser(self):
        admin = User.objects.create_superuser(email="root@example.com", password="pw-123456789", full_name="Root")
        assert admin.is_staff and admin.is_superuser

    def test_emails_are_unique_whatever_their_case(self):
        User.objects.create_user(email="dup@example.com", password="x", full_name="One")
        with pytest.raises((IntegrityError, ValidationError)):
            User.objects.create_user(email="DUP@example.com", password="x", full_name="Two")

    def test_login_lookup_ignores_case(self):
        User.objects.create_user(email="case@example.com", password="x", full_name="Case")
        assert User.objects.get_by_natural_key("CASE@Example.com").email == "case@example.com"

    def test_an_unknown_time_zone_is_rejected(self):
        with pytest.raises(ValidationError) as excinfo:
            User.objects.create_user(email="tz@example.com", password="x", full_name="Tz", time_zone="Mars/Olympus")
        assert "time_zone" in excinfo.value.message_dict
        assert not User.objects.filter(email="tz@example.com").exists()

    @pytest.mark.parametrize("zone", ["Asia/Kathmandu", "Australia/Lord_Howe", "America/New_York"])
    def test_iana_zones_are_accepted(self, zone):
        user = User.objects.create_user(
            email=f"{zone.lower().replace('/', '.')}@example.com", password="x", full_name="Z", time_zone=zone
        )
        assert user.time_zone == zone


class TestRoles:
    def test_everyone_is_a_learner_and_lands_on_the_dashboard(self):
        user = User(email="l@example.com", full_name="Lena Learner")
        assert user.is_learner and not user.is_expert
        assert user.home_url == "/dashboard/"
        assert (user.first_name, user.last_name) == ("Lena", "Learner")

    def test_experts_land_in_the_expert_area(self):
        assert User(email="e@example.com", is_expert=True).home_url == "/expert/"

    def test_staff_land_in_the_admin_even_when_they_are_experts(self):
        assert User(email="s@example.com", is_staff=True, is_expert=True).home_url == "/admin/"
