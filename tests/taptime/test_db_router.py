"""The read-replica router, with a second alias (a mirror of the test database).

The replica alias is its own connection to the test database, so it does not see rows a test
made in its (never committed) transaction: these tests count which connection each query used.
"""

import pytest
from django.db import connections, transaction
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from core.db_router import ReplicaRouter, read_alias, replica_reads, replica_scope
from marketplace.selectors.browse import expert_browse
from tests.factories import UserFactory, publish_expert_index, publish_home_page

BOTH = ["default", "replica"]


def _queries(alias_queries):
    return {alias: len(capture.captured_queries) for alias, capture in alias_queries.items()}


class Capture:
    def __enter__(self):
        self.captures = {alias: CaptureQueriesContext(connections[alias]) for alias in BOTH}
        for capture in self.captures.values():
            capture.__enter__()
        return self

    def __exit__(self, *exc):
        for capture in self.captures.values():
            capture.__exit__(*exc)

    @property
    def counts(self):
        return _queries(self.captures)


@pytest.fixture
def replica_on(settings):
    settings.DATABASE_READ_REPLICA = "replica"


@pytest.mark.django_db(databases=BOTH)
def test_a_read_inside_the_scope_goes_to_the_replica(replica_on):
    with Capture() as capture, replica_scope():
        User.objects.count()
    assert capture.counts == {"default": 0, "replica": 1}


@pytest.mark.django_db(databases=BOTH)
def test_reads_outside_the_scope_and_every_write_stay_on_the_primary(replica_on):
    with Capture() as capture:
        User.objects.count()
        with replica_scope():
            UserFactory(email="written@example.com")
    assert capture.counts["replica"] == 0 and capture.counts["default"] >= 2


@pytest.mark.django_db(databases=BOTH)
def test_a_read_inside_a_transaction_stays_on_the_primary(replica_on):
    with Capture() as capture, replica_scope(), transaction.atomic():
        UserFactory(email="fresh@example.com")
        assert User.objects.filter(email="fresh@example.com").exists()
        assert read_alias() == "default"
    assert capture.counts["replica"] == 0


@pytest.mark.django_db(databases=BOTH)
def test_without_a_configured_replica_the_scope_changes_nothing(settings):
    settings.DATABASE_READ_REPLICA = ""
    with Capture() as capture, replica_scope():
        User.objects.count()
    assert capture.counts == {"default": 1, "replica": 0}


@pytest.mark.django_db(databases=BOTH)
def test_an_alias_named_but_not_defined_falls_back_to_the_primary(settings):
    settings.DATABASE_READ_REPLICA = "nowhere"
    with replica_scope():
        assert read_alias() == "default"


@pytest.mark.django_db(databases=BOTH)
def test_the_browse_selector_reads_from_the_replica_and_the_page_still_renders(replica_on, client):
    publish_expert_index(publish_home_page())
    with Capture() as capture:
        response = client.get("/experts/")
    assert response.status_code == 200
    assert capture.counts["replica"] >= 1  # the page of cards (and its count when needed)
    assert capture.counts["default"] >= 1  # everything else on the page: site, menus, settings


def test_the_decorator_scopes_only_the_call(settings):
    settings.DATABASE_READ_REPLICA = "replica"

    @replica_reads
    def selector():
        return read_alias()

    assert selector() == "replica"
    assert read_alias() == "default"
    assert expert_browse.__wrapped__  # the catalogue's browse is one of the marked selectors


def test_migrations_and_writes_only_touch_the_primary():
    router = ReplicaRouter()
    assert router.allow_migrate("default", "accounts") is True
    assert router.allow_migrate("replica", "accounts") is False
    assert router.db_for_write(User) == "default"
    assert router.allow_relation(User(), User()) is True
