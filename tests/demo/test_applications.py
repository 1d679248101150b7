import pytest
from django.core import mail

from demo import accounts as demo_accounts
from demo import applications as demo_applications
from marketplace.models import ApplicationDocument, ExpertApplication
from tests.marketplace.factories import make_category

pytestmark = pytest.mark.django_db


def test_the_demo_has_applications_in_every_state_and_a_second_run_changes_nothing(client):
    demo_accounts.seed(log=print)
    top = make_category("Design", "design")
    make_category("UX design", "ux-design", parent=top)
    demo_applications.seed(log=print)
    statuses = sorted(ExpertApplication.objects.values_list("status", flat=True))
    assert statuses == ["approved", "changes_requested", "draft", "in_review", "rejected", "submitted"]
    waiting = ExpertApplication.objects.filter(status__in=ExpertApplication.WAITING_STATUSES)
    assert waiting.count() == 2
    rows = sorted(ExpertApplication.objects.values_list("pk", "status", "updated_at"))
    documents = ApplicationDocument.objects.count()
    assert demo_applications.seed(log=print) == "applications: 0 new"
    assert sorted(ExpertApplication.objects.values_list("pk", "status", "updated_at")) == rows
    assert ApplicationDocument.objects.count() == documents
    assert mail.outbox == []

    # The demo applicant signs in with the README's password and has a change request to answer.
    assert client.login(email="applicant@taptime.example", password=demo_accounts.DEMO_PASSWORD)
    page = client.get("/join/application/").content.decode()
    assert "Changes requested" in page and "certificate of your UX research course" in page
    document = ApplicationDocument.objects.filter(application__user__email="applicant@taptime.example").first()
    response = client.get(f"/join/documents/{document.pk}/")
    assert response.status_code == 200
    response.close()
