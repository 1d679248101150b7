"""Blog index (filters, pagination), posts (reading time, related), feeds, and constant query counts."""

import pytest
from bs4 import BeautifulSoup
from lxml import etree

from blog.models import BlogAuthor, BlogCategory
from blog.selectors import POSTS_PER_PAGE
from tests.factories import make_blog_post, make_image


def titles(response) -> list[str]:
    return [h.get_text(strip=True) for h in BeautifulSoup(response.content, "html.parser").select(".post-card__title")]


@pytest.fixture
def posts(site_tree):
    learning = BlogCategory.objects.create(name="Learning")
    author = BlogAuthor.objects.create(name="Maya Okafor", bio="Teaches teachers.", photo=make_image("Maya"))
    made = []
    for n in range(12):
        post = make_blog_post(
            site_tree["blog"],
            n=n,
            tags=("tips",) if n % 2 else ("careers",),
            author=author,
            image=make_image(f"Post image {n}", seed=n),
        )
        if n < 3:
            post.categories.set([learning])
            post.save_revision().publish()
        made.append(post)
    return made


@pytest.mark.django_db
def test_index_lists_newest_first_and_paginates(client, posts):
    first = client.get("/blog/")
    assert titles(first) == [f"Post number {n}" for n in range(11, 11 - POSTS_PER_PAGE, -1)]
    second = client.get("/blog/?page=2")
    assert titles(second) == [f"Post number {n}" for n in range(12 - POSTS_PER_PAGE - 1, -1, -1)]
    assert 'rel="prev" href="?page=1"' in second.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["abc", "0", "-3", "999999", "1e9", "%00"])
def test_bad_page_numbers_never_error(client, posts, page):
    assert client.get(f"/blog/?page={page}").status_code == 200


@pytest.mark.django_db
def test_filter_by_tag_and_by_category(client, posts):
    by_tag = client.get("/blog/?tag=tips")
    assert titles(by_tag) == [f"Post number {n}" for n in (11, 9, 7, 5, 3, 1)]
    body = by_tag.content.decode()
    assert "6 posts match this filter." in body and 'name="robots" content="noindex, follow"' in body
    by_category = client.get("/blog/?category=learning")
    assert titles(by_category) == ["Post number 2", "Post number 1", "Post number 0"]
    assert client.get("/blog/?tag=%00&category=%00x").status_code == 200
    nothing = client.get("/blog/?tag=<b>nope</b>")
    assert nothing.status_code == 200 and "No posts here yet." in nothing.content.decode()
    assert "<b>nope</b>" not in nothing.content.decode()


@pytest.mark.django_db
def test_drafts_never_appear(client, site_tree):
    make_blog_post(site_tree["blog"], n=1, title="Published")
    make_blog_post(site_tree["blog"], n=2, title="Still a draft", live=False)
    assert titles(client.get("/blog/")) == ["Published"]
    assert b"Still a draft" not in client.get("/blog/rss/").content


@pytest.mark.django_db
def test_post_shows_author_reading_time_tags_and_related_posts(client, posts):
    post = posts[5]
    assert post.reading_minutes == 3  # 500 words + intro at 220 words a minute
    response = client.get(post.url)
    body = response.content.decode()
    assert "Maya Okafor" in body and "Teaches teachers." in body
    assert "3 min read" in body
    assert 'href="/blog/?tag=tips"' in body
    related = [a.get_text(strip=True) for a in BeautifulSoup(body, "html.parser").select(".related .post-card__title")]
    assert len(related) == 3 and post.title not in related
    assert set(related) <= {p.title for p in posts if "tips" in [t.name for t in p.tags.all()]}


@pytest.mark.django_db
def test_images_are_responsive_with_modern_formats_dimensions_and_lazy_loading(client, posts):
    soup = BeautifulSoup(client.get("/blog/").content, "html.parser")
    pictures = soup.select(".post-card picture")
    assert len(pictures) == POSTS_PER_PAGE
    assert pictures[0].find("source", type="image/webp")["srcset"].count("w,") >= 1
    first_img, second_img = pictures[0].find("img"), pictures[1].find("img")
    assert first_img.get("loading") is None  # likely above the fold
    assert second_img["loading"] == "lazy"
    assert second_img["width"] and second_img["height"] and second_img.get("sizes")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path, root_tag", [("/blog/rss/", "rss"), ("/blog/atom/", "{http://www.w3.org/2005/Atom}feed")]
)
def test_feeds_parse_as_xml_and_list_posts(client, posts, path, root_tag):
    response = client.get(path)
    assert response.status_code == 200
    tree = etree.fromstring(response.content)
    assert tree.tag == root_tag
    text = response.content.decode()
    assert "Post number 11" in text and "http://testserver/blog/post-11/" in text


@pytest.mark.django_db
def test_blog_index_query_count_does_not_grow_with_posts(
    client, site_tree, django_assert_num_queries, django_assert_max_num_queries
):
    def add(start, count):
        for n in range(start, start + count):
            make_blog_post(site_tree["blog"], n=n, tags=("tips", f"t{n}"), image=make_image(f"I{n}", seed=n))

    add(0, 2)
    client.get("/blog/")  # renditions are created on the first view
    with django_assert_max_num_queries(40) as small:
        client.get("/blog/")
    baseline = len(small.captured_queries)  # read now: the query log is a bounded deque
    add(2, 10)
    client.get("/blog/")
    with django_assert_num_queries(baseline):
        client.get("/blog/")


@pytest.mark.django_db
def test_blog_post_query_count_does_not_grow_with_related_content(
    client, site_tree, django_assert_num_queries, django_assert_max_num_queries
):
    post = make_blog_post(site_tree["blog"], n=0, tags=("a", "b"), image=make_image("Main"))
    # Three tag-related posts from the start: with fewer, one extra query tops up the list.
    for n in range(1, 4):
        make_blog_post(site_tree["blog"], n=n, tags=("a",), image=make_image(f"R{n}", seed=n))
    client.get(post.url)
    with django_assert_max_num_queries(40) as small:
        client.get(post.url)
    baseline = len(small.captured_queries)  # read now: the query log is a bounded deque
    for n in range(4, 14):
        make_blog_post(site_tree["blog"], n=n, tags=("a", "b"), image=make_image(f"R{n}", seed=n))
    client.get(post.url)
    with django_assert_num_queries(baseline):
        client.get(post.url)
