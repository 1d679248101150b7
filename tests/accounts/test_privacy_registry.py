"""Every model that points at a user is covered by a privacy part, or explicitly exempt with a reason."""

from django.apps import apps
from django.contrib.auth import get_user_model

from accounts import privacy


def _links_to_user():
    user_model = get_user_model()
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model is user_model and (field.many_to_one or field.one_to_one):
                yield model, field.name


def _covered(model) -> bool:
    covered = privacy.covered_models()
    return model in covered or any(parent in covered for parent in model._meta.get_parent_list())


def test_every_model_linking_a_user_has_a_part_or_a_documented_exemption():
    missing = [
        f"{model._meta.label}.{name}"
        for model, name in _links_to_user()
        if not _covered(model) and not privacy.exempt_reason(model, name)
    ]
    assert missing == [], f"Register these in an app's privacy part or explain them in EXEMPT: {missing}"


def test_the_walk_would_see_an_unregistered_model(monkeypatch):
    """Control: with the bookings part gone, its models are reported."""
    parts = {part.name: part for part in privacy.parts()}
    monkeypatch.setattr(privacy, "_PARTS", {name: part for name, part in parts.items() if name != "bookings"})
    missing = {
        model._meta.label
        for model, name in _links_to_user()
        if not _covered(model) and not privacy.exempt_reason(model, name)
    }
    assert "bookings.Booking" in missing


def test_every_exemption_names_a_real_link():
    real = set()
    for model, name in _links_to_user():
        for klass in (model, *model._meta.get_parent_list()):
            real.add(f"{klass._meta.label}.{name}")
    assert set(privacy.EXEMPT) - real == set()


def test_every_app_on_main_registers_its_part():
    assert {"accounts", "notifications", "marketplace", "bookings", "reviews", "billing", "api", "learning"} <= {
        part.name for part in privacy.parts()
    }
