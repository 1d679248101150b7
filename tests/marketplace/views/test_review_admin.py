"""The staff review queue and review screen in the Wagtail admin."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from marketplace.models import ApplicationDocument, ExpertApplication, ExpertProfile
from tests.factories import UserFactory
from tests.marketplace.factories import make_category
from tests.marketplace.review_builders import make_application, make_reviewer

pytestmark = pytest.mark.django_db
QUEUE = "/admin/applications/"
Status = ExpertApplication.Status


def detail(application) -> str:
    return f"/admin/applications/{application.pk}/"


@pytest.fixture
def reviewer(client):
    user = make_reviewer(full_name="Rita Reviewer")
    client.force_login(user)
    return user


def names(response) -> list[str]:
    return [application.user.full_name for application in response.context["page_obj"].object_list]


class TestAccess:
    def test_a_reviewer_sees_the_menu_item_with_the_count_waiting(self, client, reviewer):
        make_application()
        make_application(status=Status.IN_REVIEW, reviewer=reviewer, claimed_at=timezone.now())
        make_application(status=Status.REJECTED)
        response = client.get("/admin/")
        assert response.status_code == 200
        assert "Applications (2)" in response.content.decode()

    def test_staff_without_the_permission_are_turned_away_and_see_no_menu_item(self, client):
        application = make_application()
        staff = UserFactory(is_staff=True)
        staff.user_permissions.add(Permission.objects.get(codename="access_admin"))
        client.force_login(staff)
        assert "Applications (" not in client.get("/admin/").content.decode()
        for url in (QUEUE, detail(application)):
            response = client.get(url)
            assert response.status_code == 302 and response["Location"] == "/admin/", url
        response = client.post(detail(application), {"action": "claim"})
        application.refresh_from_db()
        assert application.status == Status.SUBMITTED

    @pytest.mark.parametrize("who", ["anonymous", "learner", "expert"])
    def test_everyone_else_is_sent_to_log_in(self, client, who, expert_user, learner):
        application = make_application()
        if who != "anonymous":
            client.force_login(expert_user if who == "expert" else learner)
        for url in (QUEUE, detail(application)):
            response = client.get(url)
            assert response.status_code == 302 and "/login/" in response["Location"], url

    def test_a_draft_or_missing_application_is_a_404(self, client, reviewer):
        draft = make_application(status=Status.DRAFT)
        assert client.get(detail(draft)).status_code == 404
        assert client.get("/admin/applications/999999/").status_code == 404


class TestQueue:
    def test_waiting_applications_longest_first_by_default(self, client, reviewer):
        now = timezone.now()
        make_application(user=UserFactory(full_name="New Nina"), submitted_at=now - timedelta(hours=1))
        make_application(user=UserFactory(full_name="Old Olga"), submitted_at=now - timedelta(days=9))
        make_application(user=UserFactory(full_name="Done Dora"), status=Status.REJECTED)
        make_application(user=UserFactory(full_name="Draft Dan"), status=Status.DRAFT)
        response = client.get(QUEUE)
        assert response.status_code == 200
        assert names(response) == ["Old Olga", "New Nina"]
        assert names(client.get(QUEUE, {"order": "-waiting"})) == ["New Nina", "Old Olga"]
        assert set(names(client.get(QUEUE, {"status": "all"}))) == {"New Nina", "Old Olga", "Done Dora"}
        assert names(client.get(QUEUE, {"status": "rejected"})) == ["Done Dora"]
        assert names(client.get(QUEUE, {"age": "7"})) == ["Old Olga"]

    def test_filter_by_category_includes_its_subcategories(self, client, reviewer):
        data = make_category("Data", "data")
        sql = make_category("SQL", "sql", parent=data)
        design = make_category("Design", "design")
        make_application(user=UserFactory(full_name="Sub Sam"), categories=(sql,))
        make_application(user=UserFactory(full_name="Top Tia"), categories=(data,))
        make_application(user=UserFactory(full_name="Design Dee"), categories=(design,))
        assert set(names(client.get(QUEUE, {"category": str(data.pk)}))) == {"Sub Sam", "Top Tia"}
        assert names(client.get(QUEUE, {"category": str(design.pk)})) == ["Design Dee"]

    def test_filter_by_reviewer(self, client, reviewer):
        other = make_reviewer(full_name="Otto Other")
        now = timezone.now()
        make_application(
            user=UserFactory(full_name="Mine Mo"), status=Status.IN_REVIEW, reviewer=reviewer, claimed_at=now
        )
        make_application(user=UserFactory(full_name="His Hal"), status=Status.IN_REVIEW, reviewer=other, claimed_at=now)
        make_application(user=UserFactory(full_name="Free Fay"))
        assert names(client.get(QUEUE, {"reviewer": "me"})) == ["Mine Mo"]
        assert names(client.get(QUEUE, {"reviewer": "none"})) == ["Free Fay"]
        response = client.get(QUEUE, {"reviewer": str(other.pk)})
        assert names(response) == ["His Hal"]
        assert "holds it since" in response.content.decode()

    @pytest.mark.parametrize(
        "query",
        [
            {"status": "nonsense"},
            {"category": "abc"},
            {"category": "999999"},
            {"age": "-1"},
            {"reviewer": "<script>"},
            {"order": "password"},
            {"p": "x"},
            {"p": "99999"},
            {"p": "-3"},
        ],
    )
    def test_bad_filter_values_fall_back_with_a_notice_never_a_500(self, client, reviewer, query):
        make_application()
        response = client.get(QUEUE, query)
        assert response.status_code == 200
        assert len(response.context["page_obj"].object_list) == 1

    def test_the_query_count_does_not_grow_with_applications(self, client, reviewer):
        data = make_category("Data", "data")
        make_application(categories=(data,))
        client.get(QUEUE)  # warm Wagtail's per-process caches

        def count() -> int:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(QUEUE, {"status": "all"}).status_code == 200
            return len(queries)

        few = count()
        for _ in range(30):
            make_application(categories=(data,), documents=False, photo=False)
        assert count() == few


class TestReviewScreen:
    def test_shows_the_whole_application_with_documents_inline(self, client, reviewer):
        application = make_application()
        response = client.get(detail(application))
        html = response.content.decode()
        identity = application.documents.get(kind="identity")
        certificate = application.documents.get(kind="certificate")
        assert f'<img class="review__image" src="/join/documents/{identity.pk}/"' in html
        assert f'href="/join/documents/{certificate.pk}/"' in html and "Download the PDF" in html
        assert f"/join/applications/{application.pk}/photo/" in html
        assert application.headline in html and "AWS Data Engineer" in html
        # The reviewer opens the image through the private view.
        image = client.get(f"/join/documents/{identity.pk}/")
        assert image.status_code == 200 and image["Content-Type"] == "image/png"

    def test_a_second_reviewer_sees_who_holds_it(self, client, reviewer):
        application = make_application()
        client.post(detail(application), {"action": "claim"})
        other = make_reviewer(full_name="Otto Other")
        client.force_login(other)
        html = client.get(detail(application)).content.decode()
        assert "Held by Rita Reviewer since" in html and "Take it over" in html
        client.post(detail(application), {"action": "claim"})
        application.refresh_from_db()
        assert application.reviewer == reviewer
        client.post(detail(application), {"action": "take_over"})
        application.refresh_from_db()
        assert application.reviewer == other

    def test_the_whole_review_through_the_screen(self, client, reviewer, expert_index):
        application = make_application()
        url = detail(application)
        assert client.post(url, {"action": "claim"}).status_code == 302
        for document in application.documents.all():
            response = client.post(url, {"action": "check", "document": document.pk, "check_status": "verified"})
            assert response.status_code == 302
        client.post(url, {"action": "note", "message": "Passport matches the LinkedIn profile."})
        response = client.post(url, {"action": "approve"}, follow=True)
        assert "Approved" in response.content.decode()
        application.refresh_from_db()
        assert application.status == Status.APPROVED
        assert ExpertProfile.objects.filter(user=application.user).exists()
        kinds = list(application.events.values_list("kind", flat=True))
        assert kinds == ["submitted", "claimed", "document_checked", "document_checked", "note", "approved"]

    @pytest.mark.parametrize("action", ["request_changes", "reject", "note"])
    @pytest.mark.parametrize("message", ["", "   ", "x" * 4001])
    def test_a_message_is_required_and_bounded(self, client, reviewer, action, message):
        application = make_application()
        client.post(detail(application), {"action": "claim"})
        before = list(application.events.values_list("pk", flat=True))
        response = client.post(detail(application), {"action": action, "message": message})
        assert response.status_code == 400
        application.refresh_from_db()
        assert application.status == Status.IN_REVIEW
        assert list(application.events.values_list("pk", flat=True)) == before

    def test_request_changes_and_reject_through_the_screen(self, client, reviewer):
        asked, declined = make_application(), make_application()
        for application in (asked, declined):
            client.post(detail(application), {"action": "claim"})
        client.post(detail(asked), {"action": "request_changes", "message": "Add your diploma."})
        client.post(detail(declined), {"action": "reject", "message": "Outside our categories."})
        asked.refresh_from_db()
        declined.refresh_from_db()
        assert (asked.status, asked.decision_message) == (Status.CHANGES_REQUESTED, "Add your diploma.")
        assert (declined.status, declined.decision_message) == (Status.REJECTED, "Outside our categories.")

    @pytest.mark.parametrize(
        "data",
        [
            {"action": "explode"},
            {},
            {"action": "check", "document": "abc", "check_status": "verified"},
            {"action": "check", "document": "999999", "check_status": "verified"},
            {"action": "check", "document": "1", "check_status": "pending"},
            {"action": "approve"},  # documents not checked yet
        ],
    )
    def test_bad_actions_change_nothing_and_never_500(self, client, reviewer, data):
        application = make_application()
        client.post(detail(application), {"action": "claim"})
        response = client.post(detail(application), data)
        assert response.status_code in (302, 400)
        application.refresh_from_db()
        assert application.status == Status.IN_REVIEW
        assert not ApplicationDocument.objects.exclude(check_status="pending").exists()
        assert not ExpertProfile.objects.exists()

    def test_the_review_screen_query_count_is_fixed(self, client, reviewer):
        application = make_application()
        client.get(detail(application))
        with CaptureQueriesContext(connection) as first:
            client.get(detail(application))
        for n in range(5):
            client.post(detail(application), {"action": "note", "message": f"Note {n}"})
        with CaptureQueriesContext(connection) as later:
            client.get(detail(application))
        assert len(later) == len(first)


def test_history_written_by_the_system_renders(client, reviewer):
    application = make_application()
    application.events.create(kind="note", message="From a data import", private=True)
    response = client.get(detail(application))
    assert response.status_code == 200 and "system" in response.content.decode()
