import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.models import WorkflowState

from cms_pages.models import StandardPage
from marketplace.models import ExpertPage, Package, SessionType
from tests.factories import ExpertUserFactory
from tests.marketplace.factories import add_package, image_bytes, make_category, make_expert

pytestmark = pytest.mark.django_db


@pytest.fixture
def ada(expert_index):
    return make_expert(
        expert_index, name="Ada Lovelace", headline="Analytical engines", prices={60: "80"}, skills=["Python"]
    )


@pytest.fixture
def other_expert(expert_index):
    return make_expert(expert_index, name="Grace Hopper", prices={30: "40"})


def profile_form(**overrides):
    data = {
        "title": "Ada Lovelace",
        "headline": "Poetical science for programmers",
        "bio": "I wrote the first program.",
        "skills": "Python, Mathematics",
        "languages": ["1"],
        "years_experience": "12",
        "credentials": "Countess of Lovelace",
        "website_url": "",
        "linkedin_url": "",
        "github_url": "",
        "intro_video_url": "",
    }
    data.update(overrides)
    return data


def english_id():
    from marketplace.models import Language

    return str(Language.objects.get(code="en").pk)


def test_the_expert_area_needs_an_expert(client, learner):
    client.force_login(learner)
    for url in ("/expert/", "/expert/profile/", "/expert/offerings/"):
        assert client.get(url).status_code == 403


def test_a_learner_at_the_expert_area_is_told_how_to_join_and_never_loops(client, learner, site_tree):
    from bs4 import BeautifulSoup

    join = site_tree["home"].add_child(instance=StandardPage(title="Join as an expert", slug="join"))
    join.save_revision().publish()
    client.force_login(learner)
    for url in ("/expert/", "/expert/profile/", "/expert/availability/"):
        response = client.get(url)
        assert response.status_code == 403
        page = BeautifulSoup(response.content, "html.parser")
        assert "To become one, apply online" in page.select_one(".error-page").get_text()
        links = {a.get_text(strip=True): a["href"] for a in page.select(".error-page .actions a")}
        assert links == {"Apply as an expert": "/join/apply/", "Contact us": "/contact/"}
    # Both lead to real pages that a signed-in learner can use (no redirect back to a dashboard).
    for href in links.values():
        assert client.get(href, follow=True).redirect_chain in ([], [("/join/apply/about/", 302)])
        assert client.get(href, follow=True).status_code == 200


def test_an_expert_without_a_profile_is_told_it_is_being_set_up(client, expert_user):
    client.force_login(expert_user)
    assert "Your profile is being set up" in client.get("/expert/").content.decode()
    assert client.get("/expert/profile/").status_code == 404


def test_profile_edit_is_submitted_for_review_and_not_public_until_approved(client, ada, staff_user):
    client.force_login(ada.user)
    page = ExpertPage.objects.get(profile=ada)
    form = client.get("/expert/profile/")
    assert form.status_code == 200 and 'value="Analytical engines"' in form.content.decode()

    response = client.post("/expert/profile/", profile_form(languages=[english_id()]))
    assert response.status_code == 302 and response["Location"] == "/expert/"

    page.refresh_from_db()
    assert page.headline == "Analytical engines"  # the live page is unchanged
    assert page.has_unpublished_changes
    state = WorkflowState.objects.get(object_id=str(page.pk), status=WorkflowState.STATUS_IN_PROGRESS)
    public = client.get("/experts/ada-lovelace/").content.decode()
    assert "Analytical engines" in public and "Poetical science" not in public
    assert "waiting for review" in client.get("/expert/").content.decode()

    # A moderator approves in the Wagtail admin: the revision is published.
    moderator = staff_user
    state.current_task_state.task.specific.on_action(state.current_task_state, moderator, "approve")
    page.refresh_from_db()
    assert page.headline == "Poetical science for programmers"
    assert not page.has_unpublished_changes
    assert sorted(tag.name for tag in page.skills.all()) == ["Mathematics", "Python"]
    public = client.get("/experts/ada-lovelace/").content.decode()
    assert "Poetical science for programmers" in public
    # The approved skills are searchable.
    assert [p.title for p in client.get("/experts/?q=mathematics").context["experts"]] == ["Ada Lovelace"]


def test_a_rejected_edit_never_goes_live(client, ada, staff_user):
    client.force_login(ada.user)
    client.post("/expert/profile/", profile_form(languages=[english_id()], headline="Buy crypto now"))
    page = ExpertPage.objects.get(profile=ada)
    state = WorkflowState.objects.get(object_id=str(page.pk), status=WorkflowState.STATUS_IN_PROGRESS)
    state.current_task_state.task.specific.on_action(state.current_task_state, staff_user, "reject")
    page.refresh_from_db()
    assert page.headline == "Analytical engines"
    assert "Buy crypto now" not in client.get("/experts/ada-lovelace/").content.decode()
    assert "asked for changes" in client.get("/expert/").content.decode()
    # The expert fixes it and resubmits; the rejected round is closed.
    client.post("/expert/profile/", profile_form(languages=[english_id()], headline="Fixed headline"))
    states = WorkflowState.objects.filter(object_id=str(page.pk))
    assert states.filter(status=WorkflowState.STATUS_IN_PROGRESS).count() == 1
    assert "waiting for review" in client.get("/expert/").content.decode()


def test_a_second_submission_replaces_the_pending_one(client, ada):
    client.force_login(ada.user)
    client.post("/expert/profile/", profile_form(languages=[english_id()], headline="First try"))
    client.post("/expert/profile/", profile_form(languages=[english_id()], headline="Second try"))
    page = ExpertPage.objects.get(profile=ada)
    states = WorkflowState.objects.filter(object_id=str(page.pk))
    assert states.filter(status=WorkflowState.STATUS_IN_PROGRESS).count() == 1
    assert states.filter(status=WorkflowState.STATUS_CANCELLED).count() == 1
    assert page.get_latest_revision_as_object().headline == "Second try"


def test_moderators_group_is_who_approves(ada):
    # The default Wagtail workflow (created by its migrations) gates expert pages.
    page = ExpertPage.objects.get(profile=ada)
    workflow = page.get_workflow()
    assert workflow is not None
    groups = {group.name for task in workflow.tasks for group in task.specific.groups.all()}
    assert groups == {"Moderators"} and Group.objects.filter(name="Moderators").exists()


def test_invalid_profile_edits_change_nothing(client, ada):
    client.force_login(ada.user)
    response = client.post("/expert/profile/", profile_form(headline="", languages=[], website_url="not a url"))
    assert response.status_code == 200
    assert response.context["form"].errors.keys() >= {"headline", "languages", "website_url"}
    page = ExpertPage.objects.get(profile=ada)
    assert page.latest_revision is None and not WorkflowState.objects.exists()


def test_photo_upload_goes_through_review_and_rejects_non_images(client, ada):
    client.force_login(ada.user)
    bad = SimpleUploadedFile("me.jpg", b"MZ this is an exe", content_type="image/jpeg")
    response = client.post("/expert/profile/", {**profile_form(languages=[english_id()]), "photo": bad})
    assert response.status_code == 200
    assert "not an image" in response.content.decode()
    assert not WorkflowState.objects.exists()

    good = SimpleUploadedFile("me.jpg", image_bytes(size=(400, 400)), content_type="image/jpeg")
    response = client.post("/expert/profile/", {**profile_form(languages=[english_id()]), "photo": good})
    assert response.status_code == 302
    page = ExpertPage.objects.get(profile=ada)
    assert page.photo is None  # live page unchanged until approval
    assert page.get_latest_revision_as_object().photo.width == 400


def test_clearing_the_photo_goes_through_review_like_any_edit(client, ada):
    client.force_login(ada.user)
    good = SimpleUploadedFile("me.jpg", image_bytes(size=(400, 400)), content_type="image/jpeg")
    client.post("/expert/profile/", {**profile_form(languages=[english_id()]), "photo": good})
    page = ExpertPage.objects.get(profile=ada)
    photo = page.get_latest_revision_as_object().photo
    page.get_latest_revision().publish()
    page.refresh_from_db()
    assert page.photo == photo
    assert 'name="photo-clear"' in client.get("/expert/profile/").content.decode()  # offered once there is one

    response = client.post("/expert/profile/", {**profile_form(languages=[english_id()]), "photo-clear": "on"})
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.photo == photo  # still live until a moderator approves
    assert page.get_latest_revision_as_object().photo is None
    assert page.workflow_in_progress


def test_uploading_and_clearing_the_photo_at_once_is_refused_and_changes_nothing(client, ada):
    client.force_login(ada.user)
    good = SimpleUploadedFile("me.jpg", image_bytes(size=(400, 400)), content_type="image/jpeg")
    response = client.post(
        "/expert/profile/", {**profile_form(languages=[english_id()]), "photo": good, "photo-clear": "on"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"photo"}
    assert ExpertPage.objects.get(profile=ada).latest_revision is None


def test_profile_form_groups_categories_by_parent_under_their_legends(client, ada):
    from bs4 import BeautifulSoup

    design = make_category("Design", "design", sort_order=2)
    data = make_category("Data", "data", sort_order=1)
    make_category("SQL", "sql", parent=data)
    make_category("Python", "python-dev", parent=data)
    make_category("UX", "ux", parent=design)
    client.force_login(ada.user)
    page = BeautifulSoup(client.get("/expert/profile/").content, "html.parser")
    categories = page.select_one("fieldset.field--choices:has(#id_categories)")
    assert categories.legend.get_text(strip=True) == "Categories"  # the label names the list, above it
    groups = [
        (group.legend.get_text(strip=True), [label.get_text(strip=True) for label in group.select("label")])
        for group in categories.select("fieldset.checkbox-list__group")
    ]
    assert groups == [("Data", ["Data in general", "Python", "SQL"]), ("Design", ["Design in general", "UX"])]
    languages = page.select_one("fieldset.field--choices:has(#id_languages)")
    assert languages.legend.get_text(strip=True) == "Languages you hold sessions in"


def test_categories_are_offered_in_the_profile_form(client, ada):
    data = make_category("Data", "data")
    client.force_login(ada.user)
    client.post("/expert/profile/", profile_form(languages=[english_id()], categories=[str(data.pk)]))
    page = ExpertPage.objects.get(profile=ada)
    assert list(page.get_latest_revision_as_object().categories.all()) == [data]


def test_offerings_apply_at_once_and_update_price_from(client, ada):
    client.force_login(ada.user)
    response = client.post(
        "/expert/offerings/", {"kind": "session", "session-duration_minutes": "30", "session-price": "45.50"}
    )
    assert response.status_code == 302
    ada.refresh_from_db()
    assert ada.price_from_minor == 4550 and ada.price_from_ref_minor == 4550
    assert "$45.50" in client.get("/experts/ada-lovelace/").content.decode()

    sixty = SessionType.objects.get(profile=ada, duration_minutes=60)
    response = client.post(
        "/expert/offerings/",
        {
            "kind": "package",
            "package-session_type": str(sixty.pk),
            "package-sessions_count": "5",
            "package-price": "360",
            "package-validity_days": "90",
            "package-is_active": "on",
        },
    )
    assert response.status_code == 302
    assert Package.objects.filter(profile=ada, sessions_count=5).exists()
    # Learners buy packages on the public page (billing's /packages/<id>/buy/).
    assert "$360.00" in client.get("/experts/ada-lovelace/").content.decode()
    assert "$360.00" in client.get("/expert/offerings/").content.decode()

    thirty = SessionType.objects.get(profile=ada, duration_minutes=30)
    client.post(f"/expert/offerings/sessions/{thirty.pk}/", {"price": "20", "is_active": ""})
    ada.refresh_from_db()
    assert ada.price_from_minor == 8000  # an inactive type does not count
    client.post(f"/expert/offerings/sessions/{sixty.pk}/delete/")
    ada.refresh_from_db()
    assert not Package.objects.filter(profile=ada).exists()
    assert ada.price_from_minor is None and ada.price_from_ref_minor is None


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "session", "session-duration_minutes": "25", "session-price": "40"},
        {"kind": "session", "session-duration_minutes": "30", "session-price": "-5"},
        {"kind": "session", "session-duration_minutes": "30", "session-price": "abc"},
        {"kind": "session", "session-duration_minutes": "60", "session-price": "40"},  # duplicate length
        {
            "kind": "package",
            "package-session_type": "999999",
            "package-sessions_count": "5",
            "package-price": "1",
            "package-validity_days": "90",
        },
        {"kind": "package", "package-sessions_count": "1", "package-price": "10", "package-validity_days": "90"},
    ],
)
def test_bad_offerings_are_refused_with_a_message(client, ada, data):
    client.force_login(ada.user)
    before = (SessionType.objects.count(), Package.objects.count())
    response = client.post("/expert/offerings/", data)
    assert response.status_code == 200
    assert (SessionType.objects.count(), Package.objects.count()) == before


def test_another_expert_cannot_touch_my_offerings_or_profile(client, ada, other_expert):
    package = add_package(ada, duration=60)
    session = SessionType.objects.get(profile=ada)
    client.force_login(other_expert.user)
    assert client.get(f"/expert/offerings/sessions/{session.pk}/").status_code == 404
    assert client.post(f"/expert/offerings/sessions/{session.pk}/", {"price": "1"}).status_code == 404
    assert client.post(f"/expert/offerings/sessions/{session.pk}/delete/").status_code == 404
    assert client.get(f"/expert/offerings/packages/{package.pk}/").status_code == 404
    assert client.post(f"/expert/offerings/packages/{package.pk}/delete/").status_code == 404
    # A package form cannot point at someone else's session type either.
    response = client.post(
        "/expert/offerings/",
        {
            "kind": "package",
            "package-session_type": str(session.pk),
            "package-sessions_count": "3",
            "package-price": "1",
            "package-validity_days": "30",
        },
    )
    assert response.status_code == 200 and not Package.objects.filter(profile=other_expert).exists()
    # The profile form edits only the signed-in expert's own page.
    client.post("/expert/profile/", profile_form(languages=[english_id()], headline="Hijacked"))
    assert ExpertPage.objects.get(profile=ada).get_latest_revision_as_object().headline == "Analytical engines"
    session.refresh_from_db()
    assert session.price_minor == 8000 and Package.objects.filter(pk=package.pk).exists()


def test_the_owner_can_edit_and_delete_their_package(client, ada):
    package = add_package(ada, duration=60, major="300")
    client.force_login(ada.user)
    response = client.post(
        f"/expert/offerings/packages/{package.pk}/",
        {"sessions_count": "4", "price": "280", "validity_days": "60", "is_active": "on"},
    )
    assert response.status_code == 302
    package.refresh_from_db()
    assert (package.sessions_count, package.price_minor, package.validity_days) == (4, 28000, 60)
    client.post(f"/expert/offerings/packages/{package.pk}/delete/")
    assert not Package.objects.filter(pk=package.pk).exists()


def test_request_user_expert_profile_links_user_profile_and_page(ada):
    user = ExpertUserFactory._meta.model.objects.get(pk=ada.user_id)
    assert user.expert_profile == ada
    assert ExpertPage.objects.get(profile=user.expert_profile).owner == user


def test_expert_pages_translate_and_share_the_profile(ada):
    from django.core.exceptions import ValidationError
    from wagtail.models import Locale

    german = Locale.objects.create(language_code="de")
    page = ExpertPage.objects.get(profile=ada)
    page.get_parent().get_parent().specific.copy_for_translation(german)  # the home page
    index_de = page.get_parent().specific.copy_for_translation(german)
    translated = page.copy_for_translation(german)
    assert translated.locale == german and translated.profile == ada
    assert translated.translation_key == page.translation_key
    assert translated.get_parent().specific == index_de
    duplicate = ExpertPage(title="Second", slug="second", profile=ada, headline="x", locale=german)
    duplicate.path, duplicate.depth = "zz", 3  # not saved: only clean() is under test
    with pytest.raises(ValidationError) as error:
        duplicate.clean()
    assert "profile" in error.value.message_dict
