"""The browse page's filters and page number answer any query string with a page, never an error."""

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from tests.marketplace.factories import make_expert
from tests.strategies import anything, numeric_text, view_settings

pytestmark = pytest.mark.django_db

FIELDS = ("q", "category", "price_min", "price_max", "rating", "language", "available", "sort", "tz", "page")


@pytest.fixture
def catalogue(expert_index):
    make_expert(expert_index, name="Ada Lovelace", prices={60: "80"})
    make_expert(expert_index, name="Grace Hopper", prices={30: "40"}, currency="EUR")
    return expert_index


@view_settings
@given(query=st.fixed_dictionaries({}, optional=dict.fromkeys(FIELDS, numeric_text | anything)))
@example(query={"page": str(10**30)})
@example(query={"page": "9" * 5000})
@example(query={"price_min": "1e400", "price_max": "NaN"})
@example(query={"price_min": "-Infinity", "available": str(2**63), "rating": "1e-400"})
def test_any_query_string_shows_the_browse_page(client, catalogue, query):
    response = client.get(catalogue.url, query)
    assert response.status_code == 200
