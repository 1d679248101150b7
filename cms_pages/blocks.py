"""StreamField blocks shared by every page type of the public site.

Each block renders through its own template in ``templates/blocks/`` so the
marketing team gets the same building blocks (and the same markup) everywhere.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageBlock
from wagtail.models import Locale

from marketplace.models import ExpertPage

RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "link", "ol", "ul", "document-link"]
# What a link an editor types may point to: a path on this site, a fragment, or one of these schemes.
# Anything else (javascript:, data:, vbscript:, a protocol-relative //host) is refused.
SAFE_LINK_SCHEMES = ("http://", "https://", "mailto:", "tel:")


def link_url_is_safe(url: str) -> bool:
    url = url.strip()
    if url.startswith("/"):
        return not url.startswith("//") and "\\" not in url
    return url.startswith("#") or url.lower().startswith(SAFE_LINK_SCHEMES)


class LinkBlock(blocks.StructBlock):
    """A link to a page of the site or to any URL; the page wins when both are set."""

    label = blocks.CharBlock(
        label=_("label"), required=False, max_length=60, help_text=_("Leave empty to use the page title.")
    )
    page = blocks.PageChooserBlock(label=_("page"), required=False)
    url = blocks.CharBlock(label=_("URL"), required=False, max_length=300)

    def clean(self, value):
        value = super().clean(value)
        if not value.get("page") and not value.get("url"):
            raise blocks.StructBlockValidationError(
                block_errors={"page": ValidationError(_("Choose a page or enter a URL."))}
            )
        if not value.get("page") and not value.get("label"):
            raise blocks.StructBlockValidationError(
                block_errors={"label": ValidationError(_("A link to a URL needs a label."))}
            )
        if value.get("url") and not link_url_is_safe(value["url"]):
            raise blocks.StructBlockValidationError(
                block_errors={
                    "url": ValidationError(
                        _("Enter a path on this site (/about/), an http(s):// address, mailto: or tel:.")
                    )
                }
            )
        return value

    class Meta:
        icon = "link"
        label = _("Link")


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("text"), max_length=120)
    level = blocks.ChoiceBlock(label=_("level"), choices=[("h2", "H2"), ("h3", "H3")], default="h2")

    class Meta:
        icon = "title"
        template = "blocks/heading_block.html"


class ParagraphBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        super().__init__(features=RICH_TEXT_FEATURES, **kwargs)

    class Meta:
        icon = "pilcrow"
        template = "blocks/paragraph_block.html"


class FigureBlock(blocks.StructBlock):
    """An image with alt text (or marked decorative) and an optional caption."""

    image = ImageBlock()
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=200)

    class Meta:
        icon = "image"
        template = "blocks/figure_block.html"


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label=_("quote"))
    attribution = blocks.CharBlock(label=_("attribution"), required=False, max_length=120)

    class Meta:
        icon = "openquote"
        template = "blocks/quote_block.html"


class CallToActionBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"), max_length=120)
    text = blocks.TextBlock(label=_("text"), required=False)
    link = LinkBlock()

    class Meta:
        icon = "pick"
        template = "blocks/call_to_action_block.html"
        label = _("Call to action")


class StepBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"), max_length=80)
    text = blocks.TextBlock(label=_("text"))


class HowItWorksBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("heading"), max_length=120)
    steps = blocks.ListBlock(StepBlock(), min_num=1, max_num=6)

    class Meta:
        icon = "list-ol"
        template = "blocks/how_it_works_block.html"
        label = _("How it works")


class CategoryCardBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"), max_length=60)
    text = blocks.CharBlock(label=_("text"), required=False, max_length=160)
    link = LinkBlock()


class FeaturedCategoriesBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("heading"), max_length=120)
    categories = blocks.ListBlock(CategoryCardBlock(), min_num=1, max_num=12)

    class Meta:
        icon = "tag"
        template = "blocks/featured_categories_block.html"
        label = _("Featured categories")


class FeaturedPagesBlock(blocks.StructBlock):
    """Editor-chosen pages shown as cards: used for featured experts.

    Any live page fits (expert pages once they exist). With no pages chosen,
    or none of them live, the top active experts of the page's language fill
    it (``ExpertPage.objects.featured``); with none either, the block
    renders nothing at all.
    """

    heading = blocks.CharBlock(label=_("heading"), max_length=120)
    pages = blocks.ListBlock(blocks.PageChooserBlock(), min_num=0, max_num=12, default=[])

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        # The chooser loads all pages in one query; ``localized`` swaps in the
        # visitor's language (at most one query per chosen page, max_num bounds it).
        context["live_pages"] = [page.localized.specific for page in value["pages"] if page is not None and page.live]
        context["auto_experts"] = [] if context["live_pages"] else self._top_experts(parent_context)
        return context

    @staticmethod
    def _top_experts(parent_context) -> list:
        # Nobody chosen: the best-rated active experts of the page's language
        # fill the block, so it is never empty once experts exist.
        page = (parent_context or {}).get("page")
        locale_id = getattr(page, "locale_id", None)
        if locale_id is None:
            try:
                locale_id = Locale.get_active().pk
            except Locale.DoesNotExist:
                return []
        return ExpertPage.objects.featured(locale_id=locale_id)

    class Meta:
        icon = "user"
        template = "blocks/featured_pages_block.html"
        label = _("Featured experts")


class TestimonialBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label=_("quote"))
    name = blocks.CharBlock(label=_("name"), max_length=80)
    role = blocks.CharBlock(label=_("role"), required=False, max_length=120)


class TestimonialsBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("heading"), max_length=120)
    testimonials = blocks.ListBlock(TestimonialBlock(), min_num=1, max_num=9)

    class Meta:
        icon = "openquote"
        template = "blocks/testimonials_block.html"
        label = _("Testimonials")


class QuestionBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("question"), max_length=200)
    answer = blocks.RichTextBlock(label=_("answer"), features=["bold", "italic", "link", "ul", "ol"])


class FaqGroupBlock(blocks.StructBlock):
    topic = blocks.CharBlock(label=_("topic"), max_length=80)
    questions = blocks.ListBlock(QuestionBlock(), min_num=1)

    class Meta:
        icon = "help"
        template = "blocks/faq_group_block.html"
        label = _("Question group")


def body_blocks() -> list[tuple[str, blocks.Block]]:
    """The blocks every standard body offers, in the order editors see them."""
    return [
        ("heading", HeadingBlock()),
        ("paragraph", ParagraphBlock()),
        ("figure", FigureBlock()),
        ("quote", QuoteBlock()),
        ("call_to_action", CallToActionBlock()),
        ("how_it_works", HowItWorksBlock()),
        ("featured_categories", FeaturedCategoriesBlock()),
        ("featured_experts", FeaturedPagesBlock()),
        ("testimonials", TestimonialsBlock()),
    ]
