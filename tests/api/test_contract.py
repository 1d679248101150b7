"""Schemathesis against our own schema, in-process, as anonymous, a learner, an expert and staff.

Every operation gets a bounded number of generated requests per role (``EXAMPLES``), so
the whole run stays well under two minutes. The checks: no 5xx, status codes, content
types, headers and bodies as the schema documents them (problem details for every 4xx).
"""

import json

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.services import api_token_create
from tests.builders import held_booking, paid_booking, session_type_of
from tests.factories import UserFactory
from tests.marketplace.factories import next_monday_nine_berlin

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

EXAMPLES = 5
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def _schema():
    """Our schema as the app serves it, built once at collection (no database needed to describe the API)."""
    generated = SchemaGenerator().get_schema(request=None, public=True)
    loaded = schemathesis.openapi.from_dict(json.loads(OpenApiJsonRenderer().render(generated)))
    loaded.app = get_wsgi_application()  # in-process: requests go through Django's WSGI handler
    # Valid requests and invalid ones (wrong types, out-of-range values, missing fields): never a 5xx.
    loaded.config.generation.update(modes=list(schemathesis.GenerationMode))
    return loaded


schema = _schema()


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """As Django's test client does: the handler must not close the test's connection after a request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def role_headers(ada, staff_user, stripe_server):
    """Bearer headers for each role, and a small world for their ids to meet: a paid and a held booking."""
    learner = UserFactory(email="contract.learner@example.com")
    session_type = session_type_of(ada)
    monday = next_monday_nine_berlin()
    paid_booking(learner=learner, session_type=session_type, start=monday)
    held_booking(learner=learner, session_type=session_type, start=monday.replace(hour=monday.hour + 1))

    def bearer(user):
        return {
            "Authorization": f"Bearer {api_token_create(user=user, name='contract', scopes=['read', 'book', 'expert'])[1]}"
        }

    return {"anonymous": {}, "learner": bearer(learner), "expert": bearer(ada.user), "staff": bearer(staff_user)}


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_every_operation_keeps_to_the_schema_for_every_role(case, role_headers):
    for headers in role_headers.values():
        case.call_and_validate(headers={**(case.headers or {}), **headers}, checks=CHECKS)
