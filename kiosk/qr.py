"""QR codes for the slides, drawn on the server as inline SVG.

Inline SVG needs no `img-src` exception in the CSP, works offline from the
slide set the browser keeps, and stays sharp at any size. The codes of a
screen's slides repeat on every fetch, so they are cached per process.
"""
from functools import lru_cache

import segno
from markupsafe import Markup


@lru_cache(maxsize=1024)
def qr_svg(url):
    """<svg> markup of a QR code for `url` (error correction M: a screen seen
    through glass or at an angle), decorative for assistive technology: the
    slide says in words what the code is for."""
    code = segno.make(url, error="m")
    svg = code.svg_inline(scale=1, border=2, omitsize=True, dark="#000")
    return Markup(svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1))
