from django import template

from marketplace.money import Money

register = template.Library()


@register.filter
def money(value: Money) -> str:
    """Format a ``Money``. A bare number has no currency, so it is refused loudly."""
    if not isinstance(value, Money):
        raise TypeError(f"The money filter needs a Money value with a currency, not {type(value).__name__}.")
    return value.format()
