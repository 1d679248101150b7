"""The public site: the Wagtail site and its home page."""

from wagtail.models import Page, Site

from taptime.demo import Log, Tally

from .models import HomePage


def seed(*, log: Log) -> str:
    tally = Tally()
    root = Page.get_first_root_node()
    home = HomePage.objects.first()
    created = home is None
    if created:
        # Wagtail's first migration leaves a plain "Welcome" page at the slug we want.
        for stray in root.get_children().exact_type(Page).filter(slug="home"):
            stray.delete()
        home = HomePage(
            title="TapTime — 1:1 sessions with vetted experts",
            slug="home",
            hero_title="Learn from vetted experts, one session at a time",
            hero_text="<p>Book a 1:1 video session in your own time zone, pay securely, and track what you learn.</p>",
            seo_title="TapTime — book 1:1 video sessions with vetted experts",
            search_description="Find vetted experts, book a 1:1 video session in your own time zone, "
            "pay securely and track your progress.",
        )
        root.add_child(instance=home)
        home.save_revision().publish()
        log("created the home page")
    tally.add("pages", created)
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="TapTime")
    elif site.root_page_id != home.pk or site.site_name != "TapTime":
        site.root_page = home
        site.site_name = "TapTime"
        site.save()
    return tally.summary()
