from django.urls import path

from .feeds import BlogAtomFeed, BlogRssFeed

urlpatterns = [
    path("blog/rss/", BlogRssFeed(), name="blog_rss"),
    path("blog/atom/", BlogAtomFeed(), name="blog_atom"),
]
