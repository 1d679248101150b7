"""The applicant's pages and the document view answer in a fixed number of queries, however much data."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from marketplace.models import ApplicationEvent, Category, ExpertApplication, Language
from tests.factories import UserFactory
from tests.marketplace.application_factories import make_application
from tests.marketplace.factories import make_category

pytestmark = pytest.mark.django_db

Status = ExpertApplication.Status
PAGES = [
    "/join/apply/about/",
    "/join/apply/expertise/",
    "/join/apply/offer/",
    "/join/apply/credentials/",
    "/join/apply/review/",
    "/join/application/",
]
# Measured once and pinned: a change in either direction is worth a look. Each includes the header's
# unread-messages badge (one query on signed-in pages, bookings.templatetags.message_tags).
EXPECTED = {
    "/join/apply/about/": 9,
    "/join/apply/expertise/": 9,
    "/join/apply/offer/": 8,
    "/join/apply/credentials/": 8,
    "/join/apply/review/": 8,
    "/join/application/": 9,
}


def counts(client, user) -> dict[str, int]:
    client.force_login(user)
    result = {}
    for path in PAGES:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200, path
        result[path] = len(queries)
    return result


def grow(application, *, documents: int, categories: int, events: int):
    top = make_category(f"Top {application.pk}", f"top-{application.pk}")
    cats = [
        make_category(f"Sub {application.pk}-{n}", f"sub-{application.pk}-{n}", parent=top) for n in range(categories)
    ]
    application.categories.add(*cats)
    application.languages.set(Language.objects.all())
    for _n in range(events):
        ApplicationEvent.objects.create(application=application, kind=ApplicationEvent.Kind.NOTE, message="x")
    make_application(application.user, status=Status.REJECTED, documents=0)  # older history
    for index in range(documents):
        application.documents.create(
            kind="certificate",
            title=f"Doc {index}",
            content_type="application/pdf",
            size=1,
            sha256="0" * 64,
            file=f"applications/documents/none-{index}.pdf",
        )


def test_every_applicant_page_has_a_fixed_query_count(client):
    make_category("Data", "data")
    small = make_application(UserFactory(), status=Status.DRAFT, documents=1)
    large = make_application(UserFactory(), status=Status.DRAFT, documents=0)
    grow(large, documents=9, categories=12, events=20)
    assert Category.objects.count() > 12
    counts(client, small.user)  # the first request of the site creates its settings rows
    assert counts(client, small.user) == counts(client, large.user) == EXPECTED


def test_the_document_view_has_a_fixed_query_count(client, django_assert_num_queries):
    application = make_application(UserFactory(), documents=1)
    client.force_login(application.user)
    document = application.documents.get()
    # Session and user, then the document with its application.
    with django_assert_num_queries(3):
        response = client.get(f"/join/documents/{document.pk}/")
    assert response.status_code == 200
    response.close()
