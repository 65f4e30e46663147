"""QR codes drawn on the server as inline SVG (the kiosk's slides, the
survey slips of portal/quality).

Inline SVG needs no `img-src` exception in the CSP, works offline from the
slide set the browser keeps, prints sharp in a PDF and stays sharp at any
size. The codes repeat (a screen's slides on every fetch), so they are cached
per process.
"""
from functools import lru_cache

import segno
from markupsafe import Markup


@lru_cache(maxsize=1024)
def qr_svg(url):
    """<svg> markup of a QR code for `url` (error correction M: a screen seen
    through glass or at an angle, a slip printed on a worn printer),
    decorative for assistive technology: the page says in words what the
    code is for."""
    code = segno.make(url, error="m")
    svg = code.svg_inline(scale=1, border=2, omitsize=True, dark="#000")
    return Markup(svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1))
