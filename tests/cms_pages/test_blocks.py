"""Links editors type (menus, calls to action, topic tiles) go only to safe places."""

import pytest
from wagtail.blocks import StructBlockValidationError

from cms_pages.blocks import LinkBlock


def clean(url: str):
    block = LinkBlock()
    return block.clean(block.to_python({"label": "Go", "page": None, "url": url}))


@pytest.mark.parametrize(
    "url",
    [
        "/experts/",
        "/es/blog/?tag=python",
        "#faq",
        "https://example.com/x",
        "http://example.com",
        "mailto:a@b.c",
        "tel:+49",
    ],
)
def test_site_paths_web_addresses_mail_and_phone_links_are_accepted(url):
    assert clean(url)["url"] == url


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        " JavaScript:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "//evil.example/",
        "/\\evil.example/",
        "evil.example",
        "ftp://example.com/file",
    ],
)
def test_scripts_other_schemes_and_other_hosts_without_a_scheme_are_refused(url):
    with pytest.raises(StructBlockValidationError) as refused:
        clean(url)
    assert "url" in refused.value.block_errors


def test_a_link_needs_a_page_or_a_url_and_a_url_needs_a_label():
    block = LinkBlock()
    with pytest.raises(StructBlockValidationError) as neither:
        block.clean(block.to_python({"label": "Go", "page": None, "url": ""}))
    assert "page" in neither.value.block_errors
    with pytest.raises(StructBlockValidationError) as unlabelled:
        block.clean(block.to_python({"label": "", "page": None, "url": "/experts/"}))
    assert "label" in unlabelled.value.block_errors
