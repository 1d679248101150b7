"""The error codes catalogue: every code the API's services can refuse with is named in the schema and the guide."""

import ast
import importlib
import inspect
import re
from pathlib import Path

import pytest
from drf_spectacular.generators import SchemaGenerator

from api.errors import DOMAIN_CODES, ERROR_CODES

ROOT = Path(__file__).resolve().parents[2]
DOMAIN_APPS = ("accounts", "bookings", "billing", "marketplace", "learning", "reviews", "core")
CODE = re.compile(r"\bcode=\"([a-z_]+)\"")


def _domain_functions_the_api_calls():
    """Every domain function api/views, api/serializers and api/webhooks import by name."""
    sources = [*ROOT.glob("api/views/*.py"), *ROOT.glob("api/serializers/*.py"), ROOT / "api/webhooks.py"]
    for source in sources:
        for node in ast.walk(ast.parse(source.read_text())):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module.split(".")[0] in DOMAIN_APPS:
                module = importlib.import_module(node.module)
                for alias in node.names:
                    found = getattr(module, alias.name, None)
                    if inspect.isfunction(found):
                        yield found


def test_every_code_the_api_services_raise_is_in_the_catalogue():
    functions = set(_domain_functions_the_api_calls())
    assert len(functions) > 30  # the scan sees the services (hold, pay, cancel, goals, reviews, withdrawals, …)
    raised = {
        code: function.__qualname__ for function in functions for code in CODE.findall(inspect.getsource(function))
    }
    assert {"self_booking", "too_many_goals", "invalid_weekly_hours"} <= set(raised)
    missing = {code: where for code, where in raised.items() if code not in ERROR_CODES and code not in DOMAIN_CODES}
    assert missing == {}


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def test_the_schema_names_every_code_and_documents_no_code_outside_it(schema):
    described = schema["components"]["schemas"]["Problem"]["properties"]["code"]["description"]
    assert all(f"`{code}`" in described for code in ERROR_CODES)
    examples = {
        example["value"]["code"]
        for path in schema["paths"].values()
        for operation in path.values()
        for response in operation.get("responses", {}).values()
        for media in response.get("content", {}).values()
        for example in media.get("examples", {}).values()
        if isinstance(example.get("value"), dict) and "code" in example["value"]
    }
    assert {"slot_taken", "idempotency_key_reused"} <= examples
    assert examples - set(ERROR_CODES) == set()


def test_the_guide_names_every_code():
    guide = (ROOT / "docs/api.md").read_text()
    assert [code for code in sorted(ERROR_CODES) if f"`{code}`" not in guide] == []
