import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from marketplace.models import Category, ExpertPage
from tests.marketplace.factories import make_category, make_expert

pytestmark = pytest.mark.django_db


def test_categories_have_at_most_two_levels():
    top = make_category("Data", "data")
    sub = make_category("Python", "python", parent=top)
    too_deep = Category(name="Pandas", slug="pandas", parent=sub)
    with pytest.raises(ValidationError) as error:
        too_deep.full_clean()
    assert "parent" in error.value.message_dict
    # A category with children cannot itself become a subcategory.
    other = make_category("Design", "design")
    top.parent = other
    with pytest.raises(ValidationError):
        top.full_clean()
    Category(name="Fine", slug="fine", parent=other).full_clean()


def test_a_category_cannot_be_its_own_parent_in_the_database():
    top = make_category("Data", "data")
    top.parent_id = top.pk
    with pytest.raises(IntegrityError):
        top.save()


def test_category_and_expert_slugs_cannot_collide_either_way(expert_index):
    make_expert(expert_index, name="Ada Lovelace")
    with pytest.raises(ValidationError) as error:
        Category(name="Ada", slug="ada-lovelace").full_clean()
    assert "slug" in error.value.message_dict

    make_category("Design", "design")
    page = ExpertPage.objects.get(slug="ada-lovelace")
    page.slug = "design"
    with pytest.raises(ValidationError) as error:
        page.full_clean()
    assert "slug" in error.value.message_dict


def test_categories_route_before_expert_pages(client, expert_index):
    top = make_category("Data", "data")
    make_category("Python", "python-dev", parent=top)
    make_expert(expert_index, name="Ada Lovelace")
    category = client.get("/experts/python-dev/")
    assert category.status_code == 200 and category.context["category"].slug == "python-dev"
    expert = client.get("/experts/ada-lovelace/")
    assert expert.status_code == 200 and expert.context["page"].slug == "ada-lovelace"
    assert client.get("/experts/no-such-thing/").status_code == 404


def test_sitemap_lists_the_index_its_categories_and_expert_pages(expert_index, rf):
    make_category("Data", "data")
    make_expert(expert_index, name="Ada Lovelace")
    request = rf.get("/")
    locations = [entry["location"] for entry in expert_index.get_sitemap_urls(request)]
    assert locations == ["http://localhost/experts/", "http://localhost/experts/data/"]
    expert = ExpertPage.objects.get()
    assert [entry["location"] for entry in expert.get_sitemap_urls(request)] == [
        "http://localhost/experts/ada-lovelace/"
    ]
