"""The review services: claim, document checks, notes, and the three decisions, each logged."""

from datetime import date

import pytest
from wagtail.models import ModelLogEntry, WorkflowState

from marketplace.errors import ReviewRefused
from marketplace.models import (
    ApplicationDocument,
    ApplicationEvent,
    ExpertApplication,
    ExpertPage,
    ExpertProfile,
    ExpertVerification,
    Package,
    SessionType,
)
from marketplace.services.application_review import (
    application_approve,
    application_claim,
    application_document_check,
    application_note_add,
    application_reject,
    application_request_changes,
)
from tests.factories import UserFactory
from tests.marketplace.factories import make_category
from tests.marketplace.review_builders import add_document, make_application, make_reviewer

pytestmark = pytest.mark.django_db
Status = ExpertApplication.Status
Check = ApplicationDocument.CheckStatus


def _kinds(application):
    return list(application.events.values_list("kind", flat=True))


def _check_all(application, reviewer, status=Check.VERIFIED):
    for document in application.documents.all():
        application_document_check(
            application=application, document_id=document.pk, actor=reviewer, check_status=status
        )


class TestClaim:
    def test_claiming_puts_it_in_review_and_logs_who(self):
        reviewer = make_reviewer(full_name="Rita Reviewer")
        application = make_application()
        application_claim(application=application, actor=reviewer)
        application.refresh_from_db()
        assert (application.status, application.reviewer, application.claimed_at is not None) == (
            Status.IN_REVIEW,
            reviewer,
            True,
        )
        assert _kinds(application)[-1] == ApplicationEvent.Kind.CLAIMED
        assert ModelLogEntry.objects.filter(action="marketplace.application.claim", user=reviewer).exists()

    def test_a_second_reviewer_is_told_who_holds_it_and_must_take_it_over_explicitly(self):
        first, second = make_reviewer(full_name="Rita Reviewer"), make_reviewer(full_name="Otto Other")
        application = make_application()
        application_claim(application=application, actor=first)
        with pytest.raises(ReviewRefused, match="Rita Reviewer is reviewing"):
            application_claim(application=application, actor=second)
        application_claim(application=application, actor=second, take_over=True)
        application.refresh_from_db()
        assert application.reviewer == second
        assert application.events.filter(kind="claimed").last().message == "Taken over from Rita Reviewer."

    def test_claiming_again_is_a_no_op(self):
        reviewer = make_reviewer()
        application = make_application()
        application_claim(application=application, actor=reviewer)
        application_claim(application=application, actor=reviewer)
        assert _kinds(application).count(ApplicationEvent.Kind.CLAIMED) == 1

    @pytest.mark.parametrize("status", [Status.DRAFT, Status.CHANGES_REQUESTED, Status.APPROVED, Status.REJECTED])
    def test_only_submitted_applications_can_be_claimed(self, status):
        application = make_application(status=status)
        with pytest.raises(ReviewRefused):
            application_claim(application=application, actor=make_reviewer())

    @pytest.mark.parametrize("who", ["learner", "staff_without_permission", "inactive_reviewer"])
    def test_without_the_review_permission_nothing_happens(self, who):
        actor = {
            "learner": lambda: UserFactory(),
            "staff_without_permission": lambda: UserFactory(is_staff=True),
            "inactive_reviewer": lambda: make_reviewer(is_active=False),
        }[who]()
        application = make_application()
        with pytest.raises(ReviewRefused, match="permission"):
            application_claim(application=application, actor=actor)
        application.refresh_from_db()
        assert application.status == Status.SUBMITTED and application.reviewer is None


class TestDocumentsAndNotes:
    def test_each_document_gets_its_check_with_who_and_when(self):
        reviewer = make_reviewer()
        application = make_application()
        application_claim(application=application, actor=reviewer)
        identity = application.documents.get(kind="identity")
        application_document_check(
            application=application, document_id=identity.pk, actor=reviewer, check_status=Check.UNREADABLE
        )
        identity.refresh_from_db()
        assert (identity.check_status, identity.checked_by) == (Check.UNREADABLE, reviewer)
        event = application.events.get(kind=ApplicationEvent.Kind.DOCUMENT_CHECKED)
        assert event.private and event.message == "Passport: Unreadable"

    def test_checks_need_the_claim_and_a_document_of_this_application(self):
        reviewer = make_reviewer()
        application, other = make_application(), make_application()
        document = application.documents.first()
        with pytest.raises(ReviewRefused, match="Claim"):
            application_document_check(
                application=application, document_id=document.pk, actor=reviewer, check_status=Check.VERIFIED
            )
        application_claim(application=application, actor=reviewer)
        foreign = other.documents.first()
        with pytest.raises(ReviewRefused, match="not part of this application"):
            application_document_check(
                application=application, document_id=foreign.pk, actor=reviewer, check_status=Check.VERIFIED
            )
        with pytest.raises(ReviewRefused, match="verified, expired or unreadable"):
            application_document_check(
                application=application, document_id=document.pk, actor=reviewer, check_status="pending"
            )
        assert not ApplicationDocument.objects.exclude(check_status=Check.PENDING).exists()

    def test_an_expired_document_cannot_be_marked_verified(self):
        reviewer = make_reviewer()
        application = make_application(documents=False)
        old = add_document(application, kind="certificate", title="Old cert", expires_on=date(2001, 1, 1))
        application_claim(application=application, actor=reviewer)
        with pytest.raises(ReviewRefused, match="expired"):
            application_document_check(
                application=application, document_id=old.pk, actor=reviewer, check_status=Check.VERIFIED
            )
        application_document_check(
            application=application, document_id=old.pk, actor=reviewer, check_status=Check.EXPIRED
        )

    def test_notes_are_private_and_need_text(self):
        reviewer = make_reviewer()
        application = make_application()
        event = application_note_add(application=application, actor=reviewer, text="  Called the university.  ")
        assert (event.private, event.message, event.kind) == (True, "Called the university.", "note")
        for text in ("", "   ", "x" * 4001):
            with pytest.raises(ReviewRefused):
                application_note_add(application=application, actor=reviewer, text=text)
        assert application.events.filter(kind="note").count() == 1


class TestDecisions:
    def test_request_changes_needs_a_message_and_sends_it_back(self):
        reviewer = make_reviewer()
        application = make_application()
        application_claim(application=application, actor=reviewer)
        with pytest.raises(ReviewRefused, match="what to change"):
            application_request_changes(application=application, actor=reviewer, message="  ")
        application_request_changes(application=application, actor=reviewer, message="Upload a clearer passport scan.")
        application.refresh_from_db()
        assert application.status == Status.CHANGES_REQUESTED
        assert application.decision_message == "Upload a clearer passport scan."
        event = application.events.last()
        assert (event.kind, event.private, event.actor) == ("changes_requested", False, reviewer)

    def test_reject_needs_a_reason_and_records_who_decided(self):
        reviewer = make_reviewer()
        application = make_application()
        application_claim(application=application, actor=reviewer)
        with pytest.raises(ReviewRefused, match="reason"):
            application_reject(application=application, actor=reviewer, reason="")
        application_reject(application=application, actor=reviewer, reason="We need five years in the field.")
        application.refresh_from_db()
        assert (application.status, application.decided_by, application.decision_message) == (
            Status.REJECTED,
            reviewer,
            "We need five years in the field.",
        )
        assert ModelLogEntry.objects.filter(action="marketplace.application.reject").count() == 1

    def test_decisions_need_the_claim(self):
        first, second = make_reviewer(), make_reviewer()
        application = make_application()
        application_claim(application=application, actor=first)
        for call in (
            lambda: application_reject(application=application, actor=second, reason="No"),
            lambda: application_request_changes(application=application, actor=second, message="Change"),
            lambda: application_approve(application=application, actor=second),
        ):
            with pytest.raises(ReviewRefused, match="Claim"):
                call()
        application.refresh_from_db()
        assert application.status == Status.IN_REVIEW


class TestApproval:
    def test_approval_creates_the_expert_in_one_go(self, expert_index):
        data = make_category("Data", "data")
        reviewer = make_reviewer()
        application = make_application(categories=(data,))
        application_claim(application=application, actor=reviewer)
        _check_all(application, reviewer)
        profile = application_approve(application=application, actor=reviewer)

        application.refresh_from_db()
        assert (application.status, application.decided_by) == (Status.APPROVED, reviewer)
        user = application.user
        user.refresh_from_db()
        assert user.is_expert
        assert (profile.currency, profile.time_zone, profile.price_from_minor) == ("EUR", "Europe/Berlin", 4500)
        assert sorted(SessionType.objects.filter(profile=profile).values_list("duration_minutes", "price_minor")) == [
            (30, 4500),
            (60, 8000),
        ]
        package = Package.objects.get(profile=profile)
        assert (package.sessions_count, package.price_minor, package.session_type.duration_minutes) == (5, 35000, 60)

        page = ExpertPage.objects.get(profile=profile)
        assert not page.live and page.get_parent().pk == expert_index.pk
        assert page.headline == application.headline and page.photo is not None
        assert list(page.categories.all()) == [data]
        assert {language.code for language in page.languages.all()} == {"en", "de"}
        assert page.linkedin_url == "https://www.linkedin.com/in/someone"
        assert page.website_url == "https://example.com/me"
        assert page.credentials == ""  # the verification record lists checked credentials
        state = WorkflowState.objects.get(object_id=str(page.pk))
        assert state.status == WorkflowState.STATUS_IN_PROGRESS

        rows = {(row.kind, row.title, row.expires_on) for row in ExpertVerification.objects.filter(profile=profile)}
        assert rows == {("identity", "Identity", None), ("credential", "AWS Data Engineer", date(2099, 1, 1))}
        assert _kinds(application)[-1] == ApplicationEvent.Kind.APPROVED

    def test_unchecked_documents_or_no_verified_identity_block_approval(self, expert_index):
        reviewer = make_reviewer()
        application = make_application()
        application_claim(application=application, actor=reviewer)
        with pytest.raises(ReviewRefused, match="Check every document"):
            application_approve(application=application, actor=reviewer)
        _check_all(application, reviewer, status=Check.UNREADABLE)
        with pytest.raises(ReviewRefused, match="identity"):
            application_approve(application=application, actor=reviewer)
        assert not ExpertProfile.objects.exists()

    def test_only_verified_unexpired_documents_reach_the_record(self, expert_index):
        reviewer = make_reviewer()
        application = make_application()
        add_document(application, kind="diploma", title="Unreadable diploma")
        application_claim(application=application, actor=reviewer)
        _check_all(application, reviewer)
        diploma = application.documents.get(title="Unreadable diploma")
        application_document_check(
            application=application, document_id=diploma.pk, actor=reviewer, check_status=Check.UNREADABLE
        )
        profile = application_approve(application=application, actor=reviewer)
        assert "Unreadable diploma" not in set(profile.verifications.values_list("title", flat=True))

    @pytest.mark.parametrize(
        "offer",
        [
            {},
            {"currency": "XXX", "sessions": [{"minutes": 60, "price": "80"}]},
            {"currency": "EUR", "sessions": []},
            {"currency": "EUR", "sessions": [{"minutes": 50, "price": "80"}]},
            {"currency": "EUR", "sessions": [{"minutes": 60, "price": "free"}]},
            {"currency": "EUR", "sessions": [{"minutes": 60, "price": "-5"}]},
            {"currency": "EUR", "sessions": [{"minutes": 60, "price": "80"}], "packages": [{"sessions": 1}]},
        ],
    )
    def test_an_offer_the_catalogue_cannot_hold_rolls_everything_back(self, expert_index, offer):
        reviewer = make_reviewer()
        application = make_application(offer=offer)
        application_claim(application=application, actor=reviewer)
        _check_all(application, reviewer)
        with pytest.raises(ReviewRefused):
            application_approve(application=application, actor=reviewer)
        application.refresh_from_db()
        assert application.status == Status.IN_REVIEW
        assert not ExpertProfile.objects.exists() and not ExpertPage.objects.exists()
        application.user.refresh_from_db()
        assert not application.user.is_expert

    def test_an_applicant_who_became_an_expert_meanwhile_is_refused(self, expert_index):
        reviewer = make_reviewer()
        application = make_application()
        application.user.is_expert = True
        application.user.save()
        application_claim(application=application, actor=reviewer)
        _check_all(application, reviewer)
        with pytest.raises(ReviewRefused, match="already an expert"):
            application_approve(application=application, actor=reviewer)

    def test_without_an_experts_page_approval_says_so(self, home_page):
        reviewer = make_reviewer()
        application = make_application()
        application_claim(application=application, actor=reviewer)
        _check_all(application, reviewer)
        with pytest.raises(ReviewRefused, match="Experts page"):
            application_approve(application=application, actor=reviewer)
        assert not ExpertProfile.objects.exists()

    def test_the_page_slug_never_clashes(self, expert_index):
        make_category("Taken", "ana-lyst")
        reviewer = make_reviewer()
        application = make_application(user=UserFactory(full_name="Ana Lyst"))
        application_claim(application=application, actor=reviewer)
        _check_all(application, reviewer)
        profile = application_approve(application=application, actor=reviewer)
        assert ExpertPage.objects.get(profile=profile).slug == "ana-lyst-2"
