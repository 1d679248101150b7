"""Wrong input on every step: a clear message beside the field, nothing saved, never a 500."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given
from hypothesis import strategies as st

from marketplace.forms import AboutForm, OfferForm
from marketplace.models import ExpertApplication, Language
from marketplace.models.application_offer import OfferInvalid, offer_parse
from tests.marketplace.application_factories import make_application
from tests.marketplace.factories import make_category
from tests.strategies import anything, numeric_text, view_settings

pytestmark = pytest.mark.django_db

APPLY = "/join/apply/"


@pytest.fixture
def draft(learner):
    make_category("Data", "data")
    application = make_application(learner, status=ExpertApplication.Status.DRAFT)
    application.step = ExpertApplication.Step.CREDENTIALS
    application.save()
    return application


def snapshot(application):
    application.refresh_from_db()
    return (
        ExpertApplication.objects.filter(pk=application.pk).values().get(),
        list(application.languages.values_list("pk", flat=True)),
        list(application.categories.values_list("pk", flat=True)),
    )


def english():
    return str(Language.objects.get(code="en").pk)


GOOD_ABOUT = {"headline": "Coach", "bio": "Bio", "time_zone": "UTC", "links": ""}

BAD = [
    ("about", {**GOOD_ABOUT, "headline": ""}, "headline", "This field is required."),
    ("about", {**GOOD_ABOUT, "headline": "x" * 121}, "headline", "at most 120 characters"),
    ("about", {**GOOD_ABOUT, "time_zone": "Mars/Olympus"}, "time_zone", "Select a valid choice."),
    ("about", {**GOOD_ABOUT, "languages": ["999999"]}, "languages", "Select a valid choice."),
    ("about", {**GOOD_ABOUT, "links": "ftp://example.com"}, "links", "is not a web address"),
    ("about", {**GOOD_ABOUT, "links": "\n".join(f"https://e{n}.example" for n in range(6))}, "links", "at most 5"),
    ("about", {**GOOD_ABOUT, "links": "https://" + "a" * 200 + ".example"}, "links", "longer than 200"),
    ("expertise", {"categories": [], "years_experience": "3"}, "categories", "This field is required."),
    ("expertise", {"categories": ["x"], "years_experience": "3"}, "categories", "is not a valid value"),
    ("expertise", {"categories": ["CAT"], "years_experience": "-1"}, "years_experience", "greater than or equal"),
    ("expertise", {"categories": ["CAT"], "years_experience": "71"}, "years_experience", "less than or equal"),
    (
        "expertise",
        {"categories": ["CAT"], "years_experience": "3", "skills": ",".join(f"s{n}" for n in range(21))},
        "skills",
        "at most 20 skills",
    ),
    ("offer", {"currency": "EUR"}, None, "at least one session length"),
    ("offer", {"currency": "XXX", "price_60": "80"}, "currency", "Select a valid choice."),
    ("offer", {"currency": "EUR", "price_60": "0"}, "price_60", "greater than or equal to 1"),
    ("offer", {"currency": "EUR", "price_60": "abc"}, "price_60", "Enter a number."),
    ("offer", {"currency": "EUR", "price_60": "80.123"}, "price_60", "decimal places"),
    ("offer", {"currency": "EUR", "price_60": "1000000"}, "price_60", "less than or equal"),
    ("offer", {"currency": "JPY", "price_60": "8000.50"}, "price_60", "whole amounts"),
    ("offer", {"currency": "EUR", "price_60": "80", "package_1_sessions": "5"}, "package_1_sessions", "all three"),
    (
        "offer",
        {
            "currency": "EUR",
            "price_60": "80",
            "package_1_sessions": "5",
            "package_1_minutes": "30",
            "package_1_price": "100",
        },
        "package_1_minutes",
        "Offer this session length",
    ),
    (
        "offer",
        {
            "currency": "EUR",
            "price_60": "80",
            "package_1_sessions": "1",
            "package_1_minutes": "60",
            "package_1_price": "100",
        },
        "package_1_sessions",
        "greater than or equal to 2",
    ),
]


@pytest.mark.parametrize(("step", "data", "field", "message"), BAD)
def test_a_wrong_answer_is_explained_beside_its_field_and_changes_nothing(client, draft, step, data, field, message):
    data = dict(data)
    if step == "about":
        data.setdefault("languages", [english()])
    if "categories" in data:
        category = str(draft.categories.first().pk)
        data["categories"] = [category if value == "CAT" else value for value in data["categories"]]
    before = snapshot(draft)
    client.force_login(draft.user)
    response = client.post(f"{APPLY}{step}/", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    form = response.context["form"]
    assert (field in form.errors) if field else form.non_field_errors()
    assert snapshot(draft) == before


def test_a_photo_that_is_not_an_image_is_refused_and_not_stored(client, draft):
    before = snapshot(draft)
    client.force_login(draft.user)
    data = {**GOOD_ABOUT, "languages": [english()], "photo": SimpleUploadedFile("me.jpg", b"not an image")}
    response = client.post(f"{APPLY}about/", data)
    assert response.status_code == 200 and "not an image we can read" in response.content.decode()
    assert snapshot(draft) == before


def test_a_forged_post_with_garbage_never_errors(client, draft):
    client.force_login(draft.user)
    for step in ("about", "expertise", "offer", "credentials", "review"):
        response = client.post(f"{APPLY}{step}/", {"action": ["upload", "x"], "languages": "\x00", "currency": "€"})
        assert response.status_code in (200, 302), step
    assert client.post("/join/application/", {"message": "x" * 5000}).status_code in (200, 302)


@view_settings
@given(text=anything, number=numeric_text)
def test_arbitrary_text_in_the_about_and_offer_forms_is_accepted_or_explained(db, text, number):
    about = AboutForm(data={"headline": text, "bio": text, "links": text, "time_zone": text, "languages": [number]})
    about.is_valid()
    offer = OfferForm(
        data={
            "currency": text[:3],
            "price_30": number,
            "price_60": text,
            "package_1_sessions": number,
            "package_1_minutes": number,
            "package_1_price": text,
        }
    )
    if offer.is_valid():
        assert offer.offer.sessions


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=8) | st.floats(allow_nan=True),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
        max_leaves=20,
    )
)
def test_the_offer_reader_accepts_or_explains_any_json(data):
    try:
        offer = offer_parse(data)
    except OfferInvalid as invalid:
        assert invalid.messages
    else:
        assert offer.sessions


def test_an_answer_that_is_too_long_is_refused_beside_the_field(client, learner):
    make_category("Data", "data")
    application = make_application(learner, status=ExpertApplication.Status.CHANGES_REQUESTED, message="More")
    client.force_login(learner)
    response = client.post("/join/application/", {"message": "x" * 4001})
    assert response.status_code == 200 and "at most 4000 characters" in response.content.decode()
    application.refresh_from_db()
    assert application.status == ExpertApplication.Status.CHANGES_REQUESTED
