"""Project-wide behaviour: error pages, the home page, the health check."""

import pytest
from django.test import RequestFactory
from wagtail.models import Page

from cms_pages.models import HomePage
from taptime.views import server_error


def test_the_500_page_renders_without_touching_the_database():
    # No `db` fixture: any query here would raise.
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert b"Something went wrong on our side" in response.content
    assert b"/static/css/main.css" in response.content


@pytest.mark.django_db
def test_the_404_page_is_helpful(client, home_page):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "We can’t find that page" in body
    assert 'action="/search/"' in body
    assert 'name="robots" content="noindex"' in body


@pytest.mark.django_db
def test_a_learner_in_the_expert_area_gets_a_designed_403(client, learner):
    client.force_login(learner)
    response = client.get("/expert/")
    assert response.status_code == 403
    assert "The expert area is for approved experts" in response.content.decode()


@pytest.mark.django_db
def test_dashboards_need_a_login(client):
    for path in ("/dashboard/", "/expert/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"] == f"/accounts/login/?next={path}"


@pytest.mark.django_db
def test_home_page_is_a_wagtail_page_at_the_root(client, home_page):
    response = client.get("/")
    assert response.status_code == 200
    assert isinstance(response.context["page"], HomePage)
    body = response.content.decode()
    assert '<a class="skip-link" href="#main">' in body
    assert 'href="/experts/"' in body and 'href="/join/"' in body
    assert '<link rel="canonical" href="http://testserver/">' in body


@pytest.mark.django_db
def test_home_page_query_count_does_not_grow_with_content(
    client, home_page, django_assert_num_queries, django_assert_max_num_queries
):
    client.get("/")  # warm Wagtail's site cache
    # Serving (5) + site settings, navigation and the page's translations for hreflang (4).
    with django_assert_max_num_queries(9) as first:
        client.get("/")
    for n in range(15):
        home_page.add_child(instance=Page(title=f"Child {n}", slug=f"child-{n}"))
    with django_assert_num_queries(len(first.captured_queries)):
        client.get("/")


@pytest.mark.django_db
def test_pages_carry_security_headers(client, home_page):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_health_check_reports_the_database(client):
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok", "broker": "ok"}
