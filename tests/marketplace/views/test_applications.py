"""The applicant's pages: account step, the five steps with drafts, submit, status and answering a change request."""

import pytest
from django.core import mail

from core.models import OutboxMessage
from core.outbox import outbox_drain
from marketplace.models import ApplicationEvent, ExpertApplication, Language
from tests.factories import UserFactory
from tests.marketplace.application_factories import jpeg_upload, make_application, pdf_bytes, upload
from tests.marketplace.factories import make_category

pytestmark = pytest.mark.django_db

Status = ExpertApplication.Status
APPLY = "/join/apply/"


@pytest.fixture
def data_category():
    top = make_category("Data", "data")
    return make_category("Python", "python", parent=top)


def about_data(**overrides):
    data = {
        "headline": "Data coach for analysts",
        "bio": "I help analysts move from spreadsheets to Python. " * 8,
        "languages": [str(Language.objects.get(code="en").pk)],
        "time_zone": "Europe/Berlin",
        "links": "https://example.com/\nhttps://github.com/ada",
    }
    data.update(overrides)
    return data


def offer_data(**overrides):
    data = {"currency": "EUR", "price_30": "45", "price_60": "80.00"}
    data.update({"package_1_sessions": "5", "package_1_minutes": "60", "package_1_price": "350"})
    data.update(overrides)
    return data


def fill_all_steps(client, category, *, photo=True):
    about = about_data()
    if photo:
        about["photo"] = jpeg_upload()
    assert client.post(f"{APPLY}about/", about)["Location"] == f"{APPLY}expertise/"
    expertise = {"categories": [str(category.pk)], "skills": "Python, SQL", "years_experience": "8"}
    assert client.post(f"{APPLY}expertise/", expertise)["Location"] == f"{APPLY}offer/"
    assert client.post(f"{APPLY}offer/", offer_data())["Location"] == f"{APPLY}credentials/"
    for kind, title, content in [
        ("identity", "Passport", upload(pdf_bytes())),
        ("certificate", "AWS Certified", jpeg_upload()),
    ]:
        response = client.post(
            f"{APPLY}credentials/", {"action": "upload", "kind": kind, "title": title, "file": content}
        )
        assert response["Location"] == f"{APPLY}credentials/", response.content[:2000]
    assert client.post(f"{APPLY}credentials/", {"action": "continue"})["Location"] == f"{APPLY}review/"


class TestAccountStep:
    def test_a_visitor_sees_sign_up_and_sign_in_that_both_come_back(self, client):
        response = client.get(APPLY)
        assert response.status_code == 200
        html = response.content.decode()
        assert "/accounts/signup/?next=%2Fjoin%2Fapply%2F" in html
        assert "/accounts/login/?next=%2Fjoin%2Fapply%2F" in html
        assert 'aria-current="step"' in html

    def test_signing_in_from_the_account_step_lands_on_the_first_step(self, client, learner):
        from tests.factories import PASSWORD

        response = client.post("/accounts/login/?next=/join/apply/", {"login": learner.email, "password": PASSWORD})
        assert response["Location"] == APPLY
        assert client.get(APPLY)["Location"] == f"{APPLY}about/"

    def test_signing_up_and_confirming_the_address_comes_back_to_the_application(self, client, settings):
        response = client.post(
            "/accounts/signup/?next=/join/apply/",
            {
                "email": "new.expert@example.com",
                "full_name": "Nia New",
                "password1": "a-long-unusual-pass-77",
                "password2": "a-long-unusual-pass-77",
            },
        )
        assert response.status_code == 302
        confirm = next(line for line in mail.outbox[-1].body.splitlines() if "/accounts/confirm-email/" in line)
        path = confirm[confirm.index("/accounts/confirm-email/") :].strip()
        response = client.post(path)
        assert response["Location"] == APPLY


class TestSteps:
    def test_an_applicant_goes_through_every_step_and_submits_once(self, client, learner, data_category):
        client.force_login(learner)
        assert client.get(APPLY)["Location"] == f"{APPLY}about/"
        first = client.get(f"{APPLY}about/")
        assert first.status_code == 200 and b'value="Europe/Berlin" selected' in first.content
        assert not ExpertApplication.objects.exists()  # nothing is written until the first step is saved
        fill_all_steps(client, data_category)
        application = ExpertApplication.objects.get(user=learner)
        assert application.status == Status.DRAFT and application.step == ExpertApplication.Step.CREDENTIALS
        assert application.offer == {
            "currency": "EUR",
            "sessions": [{"minutes": 30, "price": "45.00"}, {"minutes": 60, "price": "80.00"}],
            "packages": [{"sessions": 5, "minutes": 60, "price": "350.00"}],
        }
        assert application.photo and application.documents.count() == 2
        review = client.get(f"{APPLY}review/")
        assert review.status_code == 200 and b"Submit application" in review.content
        response = client.post(f"{APPLY}review/")
        assert response["Location"] == "/join/application/"
        application.refresh_from_db()
        assert application.status == Status.SUBMITTED and application.submitted_at
        # Submitting again changes nothing and says why.
        again = client.post(f"{APPLY}review/", follow=True)
        assert ExpertApplication.objects.filter(user=learner).count() == 1
        assert again.status_code == 200
        assert list(application.events.values_list("kind", flat=True)) == ["created", "submitted"]
        # The email was written to the outbox with the change, and goes out once.
        assert OutboxMessage.objects.filter(dedupe_key__startswith=f"application-{application.pk}-").count() == 1
        mail.outbox.clear()
        outbox_drain()
        assert len(mail.outbox) == 1 and mail.outbox[0].to == [learner.email]
        assert "/join/application/" in mail.outbox[0].body

    def test_a_draft_resumes_at_the_first_unfinished_step_from_any_device(self, client, learner, data_category):
        client.force_login(learner)
        client.post(f"{APPLY}about/", about_data())
        client.logout()
        client.force_login(learner)
        assert client.get(APPLY)["Location"] == f"{APPLY}expertise/"
        # Steps ahead of the first unfinished one are not open yet.
        assert client.get(f"{APPLY}credentials/")["Location"] == f"{APPLY}expertise/"
        # The saved answers are shown again.
        assert b"Data coach for analysts" in client.get(f"{APPLY}about/").content

    def test_save_and_go_back(self, client, learner, data_category):
        client.force_login(learner)
        client.post(f"{APPLY}about/", about_data())
        response = client.post(
            f"{APPLY}expertise/", {"categories": [str(data_category.pk)], "years_experience": "3", "back": "1"}
        )
        assert response["Location"] == f"{APPLY}about/"
        assert ExpertApplication.objects.get(user=learner).years_experience == 3

    def test_an_unknown_step_is_404_and_a_signed_out_step_goes_to_login(self, client, learner):
        assert client.get(f"{APPLY}about/")["Location"].startswith("/accounts/login/?next=/join/apply/about/")
        client.force_login(learner)
        assert client.get(f"{APPLY}nonsense/").status_code == 404

    def test_every_step_renders_with_its_progress_and_back_link(self, client, learner, data_category):
        client.force_login(learner)
        fill_all_steps(client, data_category)
        for step in ("about", "expertise", "offer", "credentials", "review"):
            html = client.get(f"{APPLY}{step}/").content.decode()
            assert 'aria-current="step"' in html and "apply-progress" in html, step
            assert "<script>" not in html

    def test_review_lists_what_is_missing_and_hints_with_links(self, client, learner, data_category):
        client.force_login(learner)
        client.post(f"{APPLY}about/", about_data(bio="Short bio."))
        application = ExpertApplication.objects.get(user=learner)
        application.step = ExpertApplication.Step.CREDENTIALS
        application.save()
        html = client.get(f"{APPLY}review/").content.decode()
        assert "Choose at least one category." in html
        assert "Upload at least one document" in html
        assert f'href="{APPLY}about/"' in html and "Add a clear, friendly photo" in html
        response = client.post(f"{APPLY}review/", follow=True)
        assert b"not complete yet" in response.content
        application.refresh_from_db()
        assert application.status == Status.DRAFT


class TestRefusals:
    def test_an_expert_cannot_apply(self, client, expert_user):
        client.force_login(expert_user)
        response = client.get(APPLY)
        assert response.status_code == 200 and b"already an expert" in response.content
        assert client.post(f"{APPLY}about/", about_data())["Location"] == APPLY
        assert not ExpertApplication.objects.exists()

    def test_a_rejected_applicant_waits_for_the_cooling_off(self, client, learner):
        from datetime import timedelta

        from django.utils import timezone

        make_application(learner, status=Status.REJECTED, decided_at=timezone.now() - timedelta(days=10))
        client.force_login(learner)
        response = client.get(APPLY)
        assert b"apply again from" in response.content
        client.post(f"{APPLY}about/", about_data())
        assert ExpertApplication.objects.filter(user=learner).count() == 1
        ExpertApplication.objects.filter(user=learner).update(decided_at=timezone.now() - timedelta(days=31))
        assert client.get(APPLY)["Location"] == f"{APPLY}about/"

    def test_a_submitted_application_cannot_be_edited(self, client, learner, data_category):
        application = make_application(learner, status=Status.SUBMITTED)
        client.force_login(learner)
        before = ExpertApplication.objects.filter(pk=application.pk).values().get()
        assert client.get(f"{APPLY}about/")["Location"] == "/join/application/"
        response = client.post(f"{APPLY}about/", about_data(headline="Changed"), follow=True)
        assert response.redirect_chain == [("/join/application/", 302)]
        assert b"cannot be changed now" in response.content
        assert ExpertApplication.objects.filter(pk=application.pk).values().get() == before


class TestStatusPage:
    def test_no_application_yet(self, client, learner):
        client.force_login(learner)
        response = client.get("/join/application/")
        assert b"You have not applied yet." in response.content

    @pytest.mark.parametrize(
        ("status", "text"),
        [
            (Status.DRAFT, b"saved as a draft"),
            (Status.SUBMITTED, b"waiting for a reviewer"),
            (Status.IN_REVIEW, b"A reviewer is reading"),
            (Status.APPROVED, b"Congratulations"),
        ],
    )
    def test_each_status_says_where_the_applicant_stands(self, client, learner, status, text):
        make_application(learner, status=status)
        client.force_login(learner)
        assert text in client.get("/join/application/").content

    def test_a_rejection_shows_the_reason(self, client, learner):
        from django.utils import timezone

        make_application(learner, status=Status.REJECTED, decided_at=timezone.now(), message="Too little experience.")
        client.force_login(learner)
        html = client.get("/join/application/").content.decode()
        assert "Too little experience." in html and "apply again from" in html

    def test_answering_a_change_request_sends_it_back_to_the_reviewer(self, client, learner, data_category):
        application = make_application(learner, status=Status.CHANGES_REQUESTED, message="Please add your diploma.")
        ApplicationEvent.objects.create(
            application=application, kind=ApplicationEvent.Kind.NOTE, message="Private: check twice", private=True
        )
        client.force_login(learner)
        html = client.get("/join/application/").content.decode()
        assert "Please add your diploma." in html
        assert "Private: check twice" not in html
        # An empty answer changes nothing.
        response = client.post("/join/application/", {"message": "  "})
        assert response.status_code == 200
        application.refresh_from_db()
        assert application.status == Status.CHANGES_REQUESTED
        response = client.post("/join/application/", {"message": "Added the diploma."})
        assert response["Location"] == "/join/application/"
        application.refresh_from_db()
        assert application.status == Status.SUBMITTED
        assert application.events.filter(kind="answered", message="Added the diploma.").exists()
        # A second answer (a stale tab) has nothing to answer, and says so.
        response = client.post("/join/application/", {"message": "Again"}, follow=True)
        assert b"There is no change request to answer." in response.content
        assert application.events.filter(kind="answered").count() == 1

    def test_another_users_application_is_never_shown(self, client, learner):
        make_application(UserFactory(), status=Status.CHANGES_REQUESTED, message="Secret request")
        client.force_login(learner)
        assert b"Secret request" not in client.get("/join/application/").content
