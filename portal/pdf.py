"""PDF documents (assessments, plans, monitoring cards) with WeasyPrint.

Rendering never leaves the machine: the URL fetcher serves only files under
the app's static folder and the system fonts (DejaVu Sans carries every
Polish glyph), and `data:` URLs; anything else (http, https, ftp, other
files) is refused, so a stray link in a template or in user input cannot
make the server fetch it. The CSP does not apply to these documents: their
style is an inline <style> in templates/pdf/_base.html.

    html = render_template("assessment/pdf.html", ...)
    pdf = render_pdf(html)
    return pdf_response(pdf, "diagnoza-12.pdf")
"""
import hashlib
import logging
import os
import re
from urllib.parse import unquote, urlsplit

from flask import current_app, make_response

FONT_DIRS = ("/usr/share/fonts",)
_FILENAME_SAFE = re.compile(r"[^a-z0-9.-]+")


def _roots():
    roots = [current_app.static_folder, *FONT_DIRS]
    return [os.path.realpath(root) for root in roots if root]


def _quiet():
    # WeasyPrint reports each rendering step (and its own stylesheets, parsed
    # at import) at INFO; the portal's log wants failures only.
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def _fetcher_class():
    # Imported late: WeasyPrint loads pango at import time, which only the
    # PDF views need.
    _quiet()
    from weasyprint.urls import URLFetcher

    class LocalOnlyFetcher(URLFetcher):
        """Files under the static folder and the system fonts, and data: URLs; nothing else."""

        def __init__(self, roots):
            super().__init__(allowed_protocols=("file", "data"), allow_redirects=False)
            self._roots = roots

        def fetch(self, url, headers=None):
            parts = urlsplit(url)
            scheme = parts.scheme.lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme != "file" or parts.netloc not in ("", "localhost"):
                raise ValueError("only local files are fetched for PDF documents")
            path = os.path.realpath(unquote(parts.path))
            if not any(path == root or path.startswith(root + os.sep) for root in self._roots):
                raise ValueError("file outside the static folder and the fonts")
            return super().fetch(url, headers)

    return LocalOnlyFetcher


def local_fetcher():
    """A URL fetcher that refuses anything not local (see the module docstring)."""
    return _fetcher_class()(_roots())


def render_pdf(html: str) -> bytes:
    """The PDF of an HTML document. Relative URLs resolve against the app root
    (so "static/css/x.css" works); only local files are read."""
    _quiet()
    from weasyprint import HTML

    base_url = os.path.dirname(os.path.realpath(current_app.static_folder)) + os.sep
    return HTML(string=html, base_url=base_url, url_fetcher=local_fetcher()).write_pdf()


def content_hash(pdf_bytes: bytes) -> str:
    """The SHA-256 of the document, hex: what a frozen document is identified by."""
    return hashlib.sha256(pdf_bytes).hexdigest()


def safe_filename(name: str) -> str:
    """ASCII lower case, digits, dots and dashes only. Callers pass names made
    of document kinds and ids ("diagnoza-12.pdf"), never personal data."""
    name = _FILENAME_SAFE.sub("-", (name or "").lower()).strip("-.")
    if not name:
        name = "dokument"
    if not name.endswith(".pdf"):
        name += ".pdf"
    return name


def pdf_response(pdf_bytes: bytes, filename: str, *, download: bool = False):
    """Send the PDF inline (the browser's viewer prints it) or as a download,
    never cached: the document holds personal data."""
    response = make_response(pdf_bytes)
    response.mimetype = "application/pdf"
    disposition = "attachment" if download else "inline"
    response.headers["Content-Disposition"] = f'{disposition}; filename="{safe_filename(filename)}"'
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
