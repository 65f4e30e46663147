"""QR codes for the slides: the portal's one drawing of them (portal/qr.py)."""
from portal.qr import qr_svg

__all__ = ["qr_svg"]
