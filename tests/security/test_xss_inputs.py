"""Security battery, the input side of the XSS payloads: the forms take them as plain text, verbatim and
without a 500, so what tests/security/test_xss.py renders is exactly what people can store."""

import pytest
from wagtail.contrib.forms.models import FormSubmission

from bookings.models import Booking
from marketplace.models import ExpertApplication, ExpertPage, Language, SessionType
from tests.builders import held_booking
from tests.marketplace.application_factories import OFFER, pdf_bytes, upload
from tests.marketplace.factories import make_ada, make_category, next_monday_nine_berlin

from .test_xss import PAYLOADS, _rounds

pytestmark = [pytest.mark.security, pytest.mark.django_db]

EVERYTHING = "\n\n".join(PAYLOADS)


def test_the_expert_profile_form_stores_payloads_verbatim_for_review(client, expert_index):
    ada = make_ada(expert_index)
    client.force_login(ada.user)
    english = str(Language.objects.get(code="en").pk)
    for short in _rounds(PAYLOADS):
        data = {
            "title": short[:100],
            "headline": short[:140],
            "bio": EVERYTHING,
            "credentials": "\n".join(PAYLOADS),
            "skills": short.replace(",", " ")[:100],
            "languages": [english],
            "years_experience": "3",
        }
        response = client.post("/expert/profile/", data)
        assert response.status_code == 302, response.context["form"].errors
        draft = ExpertPage.objects.get(profile=ada).get_latest_revision_as_object()
        assert (draft.title, draft.headline, draft.bio) == (short[:100].strip(), short[:140].strip(), EVERYTHING)
        assert draft.credential_list == [line.strip() for line in PAYLOADS if line.strip()]


@pytest.mark.parametrize("field", ["website_url", "linkedin_url", "github_url", "intro_video_url"])
@pytest.mark.parametrize("link", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,x", " javascript:x"])
def test_the_expert_profile_form_refuses_script_links(client, expert_index, field, link):
    ada = make_ada(expert_index)
    client.force_login(ada.user)
    english = str(Language.objects.get(code="en").pk)
    data = {"title": "Ada", "headline": "Hi", "languages": [english], "years_experience": "3", field: link}
    response = client.post("/expert/profile/", data)
    assert response.status_code == 200 and field in response.context["form"].errors


def test_the_goals_note_is_stored_verbatim(
    client, expert_index, learner, stripe_server, django_capture_on_commit_callbacks
):
    ada = make_ada(expert_index)
    held = held_booking(
        learner=learner, session_type=SessionType.objects.get(profile=ada), start=next_monday_nine_berlin()
    )
    client.force_login(learner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/bookings/{held.pk}/review/", {"test_card": "success", "goals_note": EVERYTHING})
    assert response.status_code == 302
    assert Booking.objects.get(pk=held.pk).goals_note == EVERYTHING


def test_the_contact_form_stores_payloads_verbatim(client, site_tree):
    data = {"your_name": PAYLOADS[0], "email": "x@example.com", "message": EVERYTHING}
    assert client.post(site_tree["contact"].url, data).status_code == 200
    assert FormSubmission.objects.get().get_data()["message"] == EVERYTHING


def test_the_expert_application_stores_payloads_verbatim(client, learner):
    category = make_category("Data", "data")
    client.force_login(learner)
    english = str(Language.objects.get(code="en").pk)
    for short in _rounds(PAYLOADS, width=120):
        about = {"headline": short, "bio": EVERYTHING, "languages": [english], "time_zone": "UTC", "links": ""}
        assert client.post("/join/apply/about/", about).status_code == 302
        expertise = {"categories": [str(category.pk)], "skills": short.replace(",", " ")[:60], "years_experience": "3"}
        assert client.post("/join/apply/expertise/", expertise).status_code == 302
        application = ExpertApplication.objects.get(user=learner)
        assert (application.headline, application.bio) == (short.strip(), EVERYTHING)
        assert application.skills == [short.replace(",", " ")[:60].strip()]
        assert client.post("/join/apply/offer/", {"currency": "EUR", "price_60": "80"}).status_code == 302
        application.documents.all().delete()  # an application holds at most ten
        response = client.post(
            "/join/apply/credentials/",
            {"action": "upload", "kind": "certificate", "title": short, "file": upload(pdf_bytes())},
        )
        assert response.status_code == 302
        assert application.documents.filter(title=short.strip()).exists()
    ExpertApplication.objects.filter(pk=application.pk).update(
        status=ExpertApplication.Status.CHANGES_REQUESTED,
        submitted_at=application.created_at,
        offer=OFFER,
    )
    assert client.post("/join/application/", {"message": EVERYTHING}).status_code == 302
    assert application.events.get(kind="answered").message == EVERYTHING.strip()


@pytest.mark.parametrize("link", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,x", "//evil.example"])
def test_the_expert_application_refuses_script_links(client, learner, link):
    client.force_login(learner)
    english = str(Language.objects.get(code="en").pk)
    data = {"headline": "Hi", "bio": "Bio", "languages": [english], "time_zone": "UTC", "links": link}
    response = client.post("/join/apply/about/", data)
    assert response.status_code == 200 and "links" in response.context["form"].errors
    assert not ExpertApplication.objects.exists()
