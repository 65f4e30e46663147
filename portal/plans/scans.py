"""Scans of signed plans: checked by their content, stored outside static/.

A scan is accepted when its bytes ARE a PDF (pypdf opens it and finds a
page) or a JPEG / PNG / TIFF image (Pillow verifies it) — the file name and
the browser's content type are never trusted. Files are stored under
<instance>/scans/ with a random name and served only through the plans
blueprint, to the roles that may see the plan, with an audit entry.
"""
import hashlib
import io
import os
import secrets
import warnings

from flask_babel import lazy_gettext as _l

MAX_SCAN_BYTES = 10 * 1024 * 1024
IMAGE_TYPES = {"JPEG": ("image/jpeg", ".jpg"), "PNG": ("image/png", ".png"), "TIFF": ("image/tiff", ".tif")}
PDF_TYPE = ("application/pdf", ".pdf")
TYPES_BY_EXTENSION = {ext: mime for mime, ext in [PDF_TYPE, *IMAGE_TYPES.values()]}


class ScanRejected(ValueError):
    def __init__(self, message):
        super().__init__("scan rejected")
        self.message = message


def _pdf(data):
    from pypdf import PdfReader

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data), strict=False)
            pages = len(reader.pages)
    except Exception:  # noqa: BLE001 - any parser failure means "not a usable PDF"
        return False
    return pages > 0


def _image(data):
    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                kind = image.format
                image.verify()
    except Exception:  # noqa: BLE001 - a broken or hostile image is refused, whatever the error
        return None
    return IMAGE_TYPES.get(kind)


def check_scan(data):
    """(content type, extension) of an acceptable scan, else ScanRejected."""
    if not data:
        raise ScanRejected(_l("Plik jest pusty."))
    if len(data) > MAX_SCAN_BYTES:
        raise ScanRejected(_l("Plik jest za duży: skan może mieć najwyżej 10 MB."))
    if data[:5] == b"%PDF-":
        if _pdf(data):
            return PDF_TYPE
        raise ScanRejected(_l("Plik PDF jest uszkodzony albo nie ma stron."))
    found = _image(data)
    if found is None:
        raise ScanRejected(_l("To nie jest skan: dołącz plik PDF albo zdjęcie (JPEG, PNG, TIFF)."))
    return found


def scan_dir(instance_path):
    return os.path.join(instance_path, "scans")


def store_scan(directory, data, extension):
    """Write the checked bytes under a random name; returns (name, sha256)."""
    os.makedirs(directory, mode=0o700, exist_ok=True)
    name = secrets.token_hex(16) + extension
    path = os.path.join(directory, name)
    with open(path, "xb") as handle:
        handle.write(data)
    return name, hashlib.sha256(data).hexdigest()


def scan_path(directory, name):
    """The stored file's path; None for anything that is not one of our names."""
    base, extension = os.path.splitext(name or "")
    if len(base) != 32 or not all(c in "0123456789abcdef" for c in base) or extension not in TYPES_BY_EXTENSION:
        return None
    return os.path.join(directory, name)


def remove_scan(directory, name):
    path = scan_path(directory, name)
    if path and os.path.exists(path):
        os.remove(path)
