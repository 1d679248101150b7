"""Public renditions are made by a job when an image is saved, in AVIF, WebP and JPEG (cms_pages.renditions)."""

import re

import pytest
from wagtail.images import get_image_model
from wagtail.images.rect import Rect

from blog.models import BlogAuthor
from cms_pages.renditions import PUBLIC_RENDITION_FILTERS, image_renditions_generate
from tests.factories import make_blog_post, make_image
from tests.marketplace.factories import make_expert

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _renditions_on_save(settings):
    settings.IMAGE_RENDITIONS_ON_SAVE = True


def rendition_specs(image) -> set[str]:
    return set(image.renditions.values_list("filter_spec", flat=True))


def test_saving_an_image_makes_every_public_rendition_after_the_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        image = make_image(size=(1600, 900))
    assert callbacks
    assert rendition_specs(image) == set(PUBLIC_RENDITION_FILTERS)
    avif = image.renditions.get(filter_spec="format-avif|fill-800x450")
    assert avif.file.name.endswith(".avif") and (avif.width, avif.height) == (800, 450)


def test_nothing_is_made_before_the_commit_and_a_saved_focal_point_makes_the_new_crops(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=False):
        image = make_image(size=(1600, 900))
    assert rendition_specs(image) == set()  # the save has not committed: no job yet
    with django_capture_on_commit_callbacks(execute=True):
        image.save()
    crops = image.renditions.filter(filter_spec="format-webp|fill-400x225")
    assert crops.count() == 1
    image.set_focal_point(Rect(100, 100, 300, 300))
    with django_capture_on_commit_callbacks(execute=True):
        image.save()
    # Renditions are keyed on the focal point too: the new crop exists beside the old one.
    assert crops.count() == 2


def test_the_job_is_idempotent_and_a_deleted_image_is_no_error():
    image = make_image(size=(800, 450))
    made = image_renditions_generate(image_id=image.pk)
    assert made == len(PUBLIC_RENDITION_FILTERS)
    count = image.renditions.count()
    assert image_renditions_generate(image_id=image.pk) == made and image.renditions.count() == count
    missing = get_image_model().objects.order_by("-pk").values_list("pk", flat=True).first() + 1000
    assert image_renditions_generate(image_id=missing) == 0


def test_public_pages_show_srcsets_in_avif_webp_and_jpeg_without_making_a_rendition(
    client, site_tree, expert_index, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        hero = make_image("Hero", size=(1600, 900), seed=2)
        author = BlogAuthor.objects.create(name="Ana Author", photo=make_image("Ana", size=(400, 400), seed=3))
        post = make_blog_post(site_tree["blog"], n=7, author=author, image=hero)
        profile = make_expert(expert_index, name="Ada Lovelace", photo=True)
    for image_id in get_image_model().objects.values_list("pk", flat=True):
        image_renditions_generate(image_id=image_id)  # the fixtures' own images were saved before the job ran
    Rendition = get_image_model().get_rendition_model()
    before = Rendition.objects.count()
    for url in (post.url, profile.pages.first().url, site_tree["blog"].url):
        html = client.get(url).content.decode()
        pictures = re.findall(r"<picture>.*?</picture>", html, flags=re.S)
        assert pictures, url
        for picture in pictures:
            assert 'type="image/avif"' in picture and 'type="image/webp"' in picture
            assert re.search(r'srcset="[^"]+\.avif \d+w, [^"]+\.avif \d+w"', picture)
            img = re.search(r"<img [^>]*>", picture).group(0)
            assert re.search(r'width="\d+"', img) and re.search(r'height="\d+"', img)  # no layout shift
    made_by_render = list(Rendition.objects.order_by("pk").values_list("filter_spec", flat=True)[before:])
    assert made_by_render == []  # every one was made by the job


def test_switched_off_saving_queues_nothing(settings, django_capture_on_commit_callbacks):
    settings.IMAGE_RENDITIONS_ON_SAVE = False
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        image = make_image(size=(800, 450))
    assert callbacks == [] and rendition_specs(image) == set()
