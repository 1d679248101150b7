from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from core.money import Money


def test_money_is_integer_minor_units_with_a_currency():
    assert Money.from_major("45.50", "EUR") == Money(4550, "EUR")
    assert Money.from_major(Decimal("0.005"), "USD") == Money(1, "USD")  # half up
    assert Money.from_major("1200", "JPY") == Money(1200, "JPY")
    assert Money(4550, "EUR").decimal == Decimal("45.50")


def test_money_refuses_floats_and_unknown_currencies():
    with pytest.raises(TypeError):
        Money(45.5, "USD")
    with pytest.raises(ValueError):
        Money(100, "XXX")


def test_reference_amount_uses_the_fixed_rates(settings):
    settings.MARKETPLACE_FX_RATES = {"USD": "1", "EUR": "1.10", "GBP": "1.25"}
    assert Money(10000, "EUR").to_reference() == Money(11000, "USD")
    assert Money(10000, "GBP").to_reference() == Money(12500, "USD")
    assert Money(999, "USD").to_reference() == Money(999, "USD")


def test_money_filter_formats_and_refuses_a_bare_number():
    template = Template("{% load core_tags %}{{ value|money }}")
    assert template.render(Context({"value": Money(123456, "USD")})) == "$1,234.56"
    assert template.render(Context({"value": Money(4500, "EUR")})) == "€45.00"
    assert template.render(Context({"value": Money(4500, "CHF")})) == "CHF45.00"
    assert template.render(Context({"value": Money(1500, "JPY")})) == "¥1,500"
    with pytest.raises(TypeError, match="currency"):
        template.render(Context({"value": 4500}))


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "€1,234.50"), ("de", "1.234,50\xa0€"), ("es", "1.234,50\xa0€"), ("fr", "1\u202f234,50\xa0€")],
)
def test_money_reads_the_way_the_active_language_writes_amounts(language, expected):
    with translation.override(language):
        assert Money(123450, "EUR").format() == expected
        assert (
            Template("{% load core_tags %}{{ value|money }}").render(Context({"value": Money(123450, "EUR")}))
            == expected
        )


def test_an_unknown_language_falls_back_to_english():
    assert Money(4500, "USD").format(language="xx-nonsense") == "$45.00"
