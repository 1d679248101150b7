"""Blog snippets, grouped under one "Blog" menu in the Wagtail admin."""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import BlogAuthor, BlogCategory


class BlogAuthorViewSet(SnippetViewSet):
    model = BlogAuthor
    icon = "user"
    list_display = ["name", "role"]
    search_fields = ["name", "role"]


class BlogCategoryViewSet(SnippetViewSet):
    model = BlogCategory
    icon = "tag"
    list_display = ["name", "slug"]


class BlogViewSetGroup(SnippetViewSetGroup):
    items = (BlogAuthorViewSet, BlogCategoryViewSet)
    menu_icon = "doc-full"
    menu_label = "Blog"
    menu_name = "blog"


register_snippet(BlogViewSetGroup)
