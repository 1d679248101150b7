"""The blog's models. Its selectors import ``snippets``, never this package: the page
classes (``pages``) call the selectors, so pages sit above them."""

from .pages import WORDS_PER_MINUTE, BlogIndexPage, BlogPage, BlogPageTag
from .snippets import BlogAuthor, BlogCategory

__all__ = ["WORDS_PER_MINUTE", "BlogAuthor", "BlogCategory", "BlogIndexPage", "BlogPage", "BlogPageTag"]
