"""Sitrep's errors.

SitrepError
 ├── ConfigError        a settings, feeds or topics file is wrong
 ├── FetchError         a URL could not be fetched safely
 │    └── UnsafeURLError   the URL is not http(s) or points into private address space
 ├── FeedError          a fetched document is not a usable feed
 ├── ArticleError       an article page yielded no text
 ├── ExtractionError    the NLP model could not be loaded or run
 └── StoreError         the database is unusable
"""

from __future__ import annotations


class SitrepError(Exception):
    """Base class of every error Sitrep raises on purpose."""


class ConfigError(SitrepError):
    pass


class FetchError(SitrepError):
    pass


class UnsafeURLError(FetchError):
    pass


class FeedError(SitrepError):
    pass


class ArticleError(SitrepError):
    pass


class ExtractionError(SitrepError):
    pass


class StoreError(SitrepError):
    pass
