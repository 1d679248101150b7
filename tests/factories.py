"""factory_boy factories shared by the test modules."""

import time

import factory
from allauth.account.models import EmailAddress
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from wagtail.models import Page, Site

from accounts.models import User
from cms_pages.models import HomePage
from demo.images import demo_image
from marketplace.models import ExpertIndexPage

PASSWORD = "correct-horse-battery-9"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    full_name = factory.Faker("name")
    time_zone = "Europe/Berlin"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        """Users have a verified primary address unless ``verified=False``."""
        if create:
            self.save()
            if extracted is not False:
                EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


class ExpertUserFactory(UserFactory):
    is_expert = True


class StaffUserFactory(UserFactory):
    is_staff = True
    is_superuser = True


# --- Public site ------------------------------------------------------------


def make_image(
    title: str = "A picture", *, description: str = "A calm abstract picture", seed: int = 1, size=(320, 180)
):
    """A Wagtail image with a drawn picture (the demo's drawing), ``size`` pixels."""
    image, _ = demo_image(title=title, description=description, seed=seed, size=size)
    return image


def make_blog_post(index, *, n: int, tags=("tips",), author=None, image=None, live: bool = True, **fields):
    import datetime as dt

    from blog.models import BlogPage

    post = BlogPage(
        title=fields.pop("title", f"Post number {n}"),
        slug=fields.pop("slug", f"post-{n}"),
        intro=fields.pop("intro", f"Intro of post {n}."),
        date=fields.pop("date", dt.date(2026, 1, 1) + dt.timedelta(days=n)),
        author=author,
        hero_image=image,
        body=fields.pop("body", [{"type": "paragraph", "value": "<p>" + "word " * 500 + "</p>"}]),
        live=live,
        **fields,
    )
    post.tags.add(*tags)
    index.add_child(instance=post)
    if live:
        post.save_revision().publish()
    return post


def publish_home_page() -> HomePage:
    """A fresh published home page as the default site's root (stray pages from migrations removed)."""
    root = Page.get_first_root_node()
    for stray in root.get_children().exact_type(Page):
        stray.delete()
    home = HomePage(title="TapTime", slug="home", hero_title="Learn from vetted experts")
    root.add_child(instance=home)
    home.save_revision().publish()
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "root_page": home, "site_name": "TapTime"}
    )
    return home


def publish_expert_index(home: HomePage) -> ExpertIndexPage:
    index_page = ExpertIndexPage(title="Experts", slug="experts", intro="Find your expert.")
    home.add_child(instance=index_page)
    index_page.save_revision().publish()
    return index_page


# --- Second factor ----------------------------------------------------------


def with_totp(user) -> str:
    """Give ``user`` an authenticator app (stored as allauth stores it); returns its secret."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def totp_code(secret: str) -> str:
    """The code the authenticator app shows right now."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // mfa_settings.TOTP_PERIOD))


def sign_in_with_totp(client, user, secret: str, **meta):
    """Sign in through allauth's real forms: password, then the authenticator code. Returns the last response."""
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD}, **meta)
    assert response["Location"] == "/accounts/2fa/authenticate/", response
    return client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)}, **meta)
