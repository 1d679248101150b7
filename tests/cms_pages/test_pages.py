"""Page-tree rules, and every page type can be created in the admin, routed and rendered."""

import pytest
from wagtail.models import Page, Site
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from blog.models import BlogIndexPage, BlogPage
from cms_pages.models import FaqPage, FormPage, HomePage, StandardPage
from marketplace.models import ExpertIndexPage
from tests.factories import StaffUserFactory, make_blog_post


class PageTreeRulesTests(WagtailPageTestCase):
    def test_home_sits_under_the_root_only(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})
        self.assertAllowedSubpageTypes(HomePage, {StandardPage, FaqPage, FormPage, BlogIndexPage, ExpertIndexPage})

    def test_standard_pages_nest_under_home_and_each_other(self):
        self.assertAllowedParentPageTypes(StandardPage, {HomePage, StandardPage})
        self.assertAllowedSubpageTypes(StandardPage, {StandardPage})

    def test_leaf_pages_take_no_children(self):
        for model in (FaqPage, FormPage, BlogPage):
            self.assertAllowedSubpageTypes(model, set())

    def test_blog_posts_only_live_in_the_blog(self):
        self.assertAllowedParentPageTypes(BlogPage, {BlogIndexPage})
        self.assertAllowedParentPageTypes(BlogIndexPage, {HomePage})
        self.assertCanNotCreateAt(HomePage, BlogPage)
        self.assertCanNotCreateAt(StandardPage, FaqPage)


class EditorCreatesEveryPageTypeTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        root = Page.get_first_root_node()
        for stray in root.get_children():
            stray.delete()
        cls.home = HomePage(title="TapTime", slug="home")
        root.add_child(instance=cls.home)
        cls.home.save_revision().publish()
        Site.objects.update_or_create(
            is_default_site=True, defaults={"hostname": "localhost", "root_page": cls.home, "site_name": "TapTime"}
        )
        cls.editor = StaffUserFactory()

    def setUp(self):
        self.client.force_login(self.editor)

    def test_standard_page_with_blocks(self):
        self.assertCanCreate(
            self.home,
            StandardPage,
            nested_form_data(
                {
                    "title": "How it works",
                    "slug": "how-it-works",
                    "intro": "Clear prices, your time zone.",
                    "body": streamfield(
                        [
                            ("heading", {"text": "For learners", "level": "h2"}),
                            ("paragraph", rich_text("<p>Find an expert and book.</p>")),
                            ("quote", {"quote": "It simply worked.", "attribution": "Jonas"}),
                        ]
                    ),
                }
            ),
        )
        page = StandardPage.objects.get(slug="how-it-works")
        self.assertPageIsRoutable(page)
        self.assertPageIsRenderable(page)

    def test_faq_page(self):
        self.assertCanCreate(
            self.home,
            FaqPage,
            nested_form_data(
                {
                    "title": "FAQ",
                    "slug": "faq",
                    "intro": "",
                    "groups": streamfield(
                        [
                            (
                                "group",
                                {
                                    "topic": "Booking",
                                    "questions": streamfield(
                                        [("item", {"question": "How?", "answer": rich_text("<p>Like this.</p>")})]
                                    ),
                                },
                            )
                        ]
                    ),
                }
            ),
        )
        self.assertPageIsRenderable(FaqPage.objects.get(slug="faq"))

    def test_form_page(self):
        self.assertCanCreate(
            self.home,
            FormPage,
            nested_form_data(
                {
                    "title": "Contact",
                    "slug": "contact",
                    "intro": rich_text(""),
                    "thank_you_title": "Thanks",
                    "thank_you_text": rich_text("<p>We reply soon.</p>"),
                    "submit_label": "Send",
                    "to_address": "team@taptime.example",
                    "from_address": "",
                    "subject": "Contact",
                    "form_fields": inline_formset(
                        [
                            {
                                "label": "Message",
                                "field_type": "multiline",
                                "required": "on",
                                "choices": "",
                                "default_value": "",
                                "help_text": "",
                            }
                        ]
                    ),
                }
            ),
        )
        page = FormPage.objects.get(slug="contact")
        self.assertPageIsRoutable(page)
        self.assertPageIsRenderable(page)

    def test_blog_index_and_post(self):
        self.assertCanCreate(self.home, BlogIndexPage, nested_form_data({"title": "Blog", "slug": "blog", "intro": ""}))
        index = BlogIndexPage.objects.get()
        self.assertCanCreate(
            index,
            BlogPage,
            nested_form_data(
                {
                    "title": "First post",
                    "slug": "first-post",
                    "date": "2026-11-01",
                    "intro": "Hello.",
                    "tags": "tips, news",
                    "body": streamfield([("paragraph", rich_text("<p>Body text.</p>"))]),
                }
            ),
        )
        post = BlogPage.objects.get(slug="first-post")
        self.assertPageIsRoutable(post)
        self.assertPageIsRenderable(post)
        self.assertPageIsRenderable(index)

    def test_a_second_home_or_blog_under_the_same_parent_is_refused(self):
        self.assertFalse(HomePage.can_create_at(Page.get_first_root_node()))  # the root already has a home
        self.assertTrue(BlogIndexPage.can_create_at(self.home))
        self.home.add_child(instance=BlogIndexPage(title="Blog", slug="blog"))
        self.assertFalse(BlogIndexPage.can_create_at(self.home))


@pytest.mark.django_db
def test_every_page_of_the_small_site_renders(client, site_tree):
    post = make_blog_post(site_tree["blog"], n=1)
    for page in [*site_tree.values(), post]:
        response = client.get(page.url)
        assert response.status_code == 200, page.url
        assert f"<title>{page.specific.get_seo_title()} · TapTime</title>" in response.content.decode()


@pytest.mark.django_db
def test_featured_experts_block_renders_nothing_when_empty_and_cards_when_chosen(client, site_tree):
    home = site_tree["home"]
    home.body = [{"type": "featured_experts", "value": {"heading": "Featured experts", "pages": []}}]
    home.save_revision().publish()
    assert "Featured experts" not in client.get("/").content.decode()
    home.body = [
        {"type": "featured_experts", "value": {"heading": "Featured experts", "pages": [site_tree["about"].pk]}}
    ]
    home.save_revision().publish()
    body = client.get("/").content.decode()
    assert "Featured experts" in body and 'href="/about/"' in body


@pytest.mark.django_db
def test_the_scheduled_job_publishes_a_page_whose_time_has_come(site_tree):
    import datetime as dt

    from django.utils import timezone

    from cms_pages.tasks import publish_scheduled_pages

    page = StandardPage(title="Launch", slug="launch", live=False)
    site_tree["home"].add_child(instance=page)
    revision = page.save_revision(approved_go_live_at=timezone.now() - dt.timedelta(minutes=1))
    page.refresh_from_db()
    assert not page.live
    publish_scheduled_pages()
    page.refresh_from_db()
    assert page.live and page.live_revision_id == revision.pk
