import pytest

from accounts.models import User
from demo import reviewers as demo_reviewers
from demo.accounts import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def test_the_demo_reviewer_opens_the_queue_and_nothing_else(client):
    demo_reviewers.seed(log=print)
    demo_reviewers.seed(log=print)  # idempotent
    user = User.objects.get(email="reviewer@taptime.example")
    assert user.is_staff and not user.is_superuser
    assert user.has_perm("marketplace.review_expertapplication")
    assert client.login(email=user.email, password=DEMO_PASSWORD)
    assert client.get("/admin/applications/").status_code == 200
    # Only the review permission: the pages explorer and user management are not theirs.
    assert client.get("/admin/users/").status_code == 302
