"""The schema and the docs page: every operation documented with its problems, assets from our own static files."""

import re

import pytest
import yaml
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client):
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    return yaml.safe_load(response.content)


def test_every_operation_documents_its_problems_as_problem_json(schema):
    operations = [(path, method, op) for path, item in schema["paths"].items() for method, op in item.items()]
    assert len(operations) >= 20
    for path, method, operation in operations:
        errors = {status: body for status, body in operation["responses"].items() if status.startswith(("4", "5"))}
        assert errors, (path, method)
        for status, body in errors.items():
            assert list(body["content"]) == ["application/problem+json"], (path, method, status)


def test_domain_codes_appear_in_the_schema(schema):
    text = yaml.safe_dump(schema)
    for code in ("slot_taken", "hold_expired", "not_cancellable", "idempotency_key_reused", "insufficient_scope"):
        assert code in text, code


def test_the_docs_page_serves_swagger_ui_from_our_static_files_without_inline_script(client):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    sources = re.findall(r'<script[^>]*src="([^"]+)"', html)
    assert sources and all(source.startswith("/") for source in sources), sources
    assert html.count("<script") == len(sources), "no inline script"
    assert "cdn" not in html.lower()
    for source in sources:
        if source.startswith("/static/"):
            assert finders.find(source.removeprefix("/static/")), source
    script = client.get([source for source in sources if not source.startswith("/static/")][0])
    assert script.status_code == 200 and b"SwaggerUIBundle" in script.content
    csp = response["Content-Security-Policy"]
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
