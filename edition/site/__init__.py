"""The HTML edition: reading pages, registers, pictures, search and citation (see publish.py)."""

from edition.site.publish import publish_site

__all__ = ["publish_site"]
