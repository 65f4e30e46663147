"""Scans of signed plans: checked by their content, cleaned, stored outside static/.

A scan is accepted when its bytes ARE a PDF (pypdf opens it and finds a
page) or a JPEG / PNG / TIFF image (Pillow decodes it) — the file name and
the browser's content type are never trusted. What is stored is not the
upload but a copy written anew (issue 9):

- A PDF with active content (JavaScript, actions other than going to a page
  or opening a web address, additional actions, embedded files, rich media,
  XFA forms) is REFUSED, not flattened: a scanner never writes them, so such
  a file is not the scan the form asks for, and a stored scan is the record
  of a signature, which we should not alter silently. A PDF without them is
  written again page by page by pypdf: bytes after %%EOF, earlier revisions
  of incremental updates, the document's metadata, outlines and names go.
- An image is decoded and encoded again by Pillow at its full resolution
  (upright when EXIF said so): EXIF, XMP, text chunks, ICC profiles and
  bytes after the image's end go; only the DPI stays (it gives the printed
  size). Only the three formats' decoders are used, within a pixel budget
  (a decompression bomb is refused before it is decoded).

Files are stored under <instance>/scans/ with a random name and served only
through the plans blueprint, to the roles that may see the plan, with an
audit entry.
"""
import hashlib
import io
import os
import secrets
import warnings
from collections import Counter

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm.exc import StaleDataError

from ..core.errors import DataError, VersionConflict
from ..extensions import db

MAX_SCAN_BYTES = 10 * 1024 * 1024
# A4 at 600 dpi is 35 megapixels, six pages at 300 dpi 52: plenty for a
# signature, and a bound on the memory one upload can take when decoded.
MAX_SCAN_PIXELS = 60_000_000
MAX_IMAGE_PAGES = 100
# Bounds on the work of reading a PDF's objects (a scan has a few per page;
# a 20-page text PDF a few hundred), so one upload cannot hold a worker.
MAX_PDF_ITEMS = 200_000
MAX_OBJECT_STREAM_WORK = 1_000_000
JPEG_QUALITY = 90
IMAGE_TYPES = {"JPEG": ("image/jpeg", ".jpg"), "PNG": ("image/png", ".png"), "TIFF": ("image/tiff", ".tif")}
PDF_TYPE = ("application/pdf", ".pdf")
TYPES_BY_EXTENSION = {ext: mime for mime, ext in [PDF_TYPE, *IMAGE_TYPES.values()]}

# PDF: keys whose presence anywhere is active content, annotation kinds that
# play or carry files, and the actions that only move within the document or
# open a web page (every other action type is refused: default deny).
ACTIVE_KEYS = {"/JS", "/JavaScript", "/AA", "/EmbeddedFiles", "/EF", "/XFA", "/RichMediaContent",
               "/RichMediaSettings"}
ACTIVE_SUBTYPES = {"/RichMedia", "/FileAttachment", "/Movie", "/Sound", "/Screen", "/3D"}
ACTION_KEYS = {"/A", "/OpenAction", "/Next"}
SAFE_ACTIONS = {"/GoTo", "/URI", "/Named", "/Thread"}
SAFE_URI_SCHEMES = ("http://", "https://", "mailto:")

ACTIVE_PDF = _l("Ten plik PDF zawiera skrypty, załączniki lub inne aktywne elementy, których skan nie "
                "potrzebuje. Zeskanuj podpisany plan ponownie do zwykłego pliku PDF albo dołącz zdjęcie "
                "(JPEG, PNG, TIFF).")
ENCRYPTED_PDF = _l("Ten plik PDF jest zabezpieczony hasłem. Dołącz skan bez hasła.")
BROKEN_PDF = _l("Plik PDF jest uszkodzony albo nie ma stron.")
COMPLEX_PDF = _l("Ten plik PDF jest zbyt złożony jak na skan. Zeskanuj podpisany plan ponownie albo dołącz "
                 "zdjęcie (JPEG, PNG, TIFF).")
TOO_MANY_PIXELS = _l("Obraz ma zbyt wiele pikseli. Zeskanuj plan w niższej rozdzielczości (wystarczy 300 dpi) "
                     "i dołącz go ponownie.")
NOT_A_SCAN = _l("To nie jest skan: dołącz plik PDF albo zdjęcie (JPEG, PNG, TIFF).")


class ScanRejected(ValueError):
    def __init__(self, message):
        super().__init__("scan rejected")
        self.message = message


class TooComplex(Exception):
    """A PDF that would take too long to read through."""


# --- PDF --------------------------------------------------------------------------------------------------

def _is_active_action(action):
    from pypdf.generic import ArrayObject, DictionaryObject

    if isinstance(action, ArrayObject):  # /Next may hold a list of actions; /OpenAction a destination
        return any(_is_active_action(item.get_object()) for item in action)
    if not isinstance(action, DictionaryObject) or "/S" not in action:
        return False
    kind = action["/S"]
    if kind not in SAFE_ACTIONS:
        return True
    if kind == "/URI":
        target = str(action.get("/URI", "")).strip().lower()
        return not target.startswith(SAFE_URI_SCHEMES)
    return False


def has_active_content(reader):
    """True when any object reachable from the trailer holds active content.
    Names arrive decoded (/Java#53cript is /JavaScript); streams are not
    decoded: what runs is named in dictionaries. Raises TooComplex past
    MAX_PDF_ITEMS objects."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    seen = set()
    pending = [reader.trailer]
    visited = 0
    while pending:
        item = pending.pop()
        visited += 1
        if visited > MAX_PDF_ITEMS:
            raise TooComplex()
        if isinstance(item, IndirectObject):
            if (item.idnum, item.generation) in seen:
                continue
            seen.add((item.idnum, item.generation))
            item = item.get_object()
        if isinstance(item, DictionaryObject):
            for key, value in item.items():
                if key in ACTIVE_KEYS:
                    return True
                if key in ACTION_KEYS and _is_active_action(value.get_object()):
                    return True
                if key == "/Subtype" and value.get_object() in ACTIVE_SUBTYPES:
                    return True
                if key == "/Type" and value.get_object() == "/EmbeddedFile":
                    return True
                pending.append(value)
        elif isinstance(item, ArrayObject):
            pending.extend(item)
    return False


def _object_stream_work(reader):
    """pypdf reads an object out of an object stream by walking the stream's
    index from the start, so reading all N objects of one costs N²/2 steps:
    bounded before anything is read."""
    sizes = Counter(stream for stream, _index in reader.xref_objStm.values())
    return sum(n * n for n in sizes.values())


def _clean_pdf(data):
    from pypdf import PdfReader, PdfWriter

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                try:
                    opened = reader.decrypt("")
                except Exception:  # noqa: BLE001 - an AES file without the crypto library, or a bad one
                    opened = 0
                if not opened:
                    raise ScanRejected(ENCRYPTED_PDF)
            if _object_stream_work(reader) > MAX_OBJECT_STREAM_WORK:
                raise TooComplex()
            if has_active_content(reader):
                raise ScanRejected(ACTIVE_PDF)
            pages = list(reader.pages)
            if not pages:
                raise ScanRejected(BROKEN_PDF)
            writer = PdfWriter()
            for page in pages:
                writer.add_page(page)
            out = io.BytesIO()
            writer.write(out)
            cleaned = out.getvalue()
            if len(PdfReader(io.BytesIO(cleaned)).pages) != len(pages):
                raise ValueError("rewritten PDF lost pages")
    except ScanRejected:
        raise
    except TooComplex:
        raise ScanRejected(COMPLEX_PDF) from None
    except Exception:  # noqa: BLE001 - any parser failure means "not a usable PDF"
        raise ScanRejected(BROKEN_PDF) from None
    return cleaned


# --- images -----------------------------------------------------------------------------------------------

def _clean_frame(frame):
    """The frame's pixels, upright, in a new image without metadata."""
    from PIL import ImageOps

    clean = ImageOps.exif_transpose(frame)  # a copy: no EXIF, no format-specific tags
    if "transparency" in clean.info:  # kept in info, which goes: put it in the pixels
        clean = clean.convert("LA" if clean.mode in ("1", "L") else "RGBA")
    clean.info = {}
    return clean


def _dpi(info):
    dpi = info.get("dpi")
    try:
        x, y = (round(float(v)) for v in dpi)
    except (TypeError, ValueError):
        return None
    return (x, y) if 0 < x <= 10000 and 0 < y <= 10000 else None


def _clean_image(data):
    """(format, re-encoded bytes), None when it is not one of our formats."""
    from PIL import Image, ImageSequence

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=list(IMAGE_TYPES)) as image:
                # A phone's photo may be a JPEG with a second picture (MPO): the first is the photo.
                kind = "JPEG" if image.format == "MPO" else image.format
                if getattr(image, "n_frames", 1) > MAX_IMAGE_PAGES:
                    raise ScanRejected(TOO_MANY_PIXELS)
                dpi = _dpi(image.info)
                frames, pixels = [], 0
                for frame in ImageSequence.Iterator(image):
                    if kind == "JPEG" and frames:
                        break
                    pixels += frame.width * frame.height  # from the header, before decoding
                    if pixels > MAX_SCAN_PIXELS:
                        raise ScanRejected(TOO_MANY_PIXELS)
                    frames.append(_clean_frame(frame))
    except ScanRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ScanRejected(TOO_MANY_PIXELS) from None
    except Exception:  # noqa: BLE001 - a broken or hostile image is refused, whatever the error
        return None
    if kind not in IMAGE_TYPES or not frames:
        return None
    options = {"dpi": dpi} if dpi else {}
    if kind == "JPEG":
        first = frames[0] if frames[0].mode in ("L", "RGB", "CMYK") else frames[0].convert("RGB")
        options["quality"] = JPEG_QUALITY
    elif kind == "TIFF":
        first = frames[0]
        options.update(compression="tiff_adobe_deflate", save_all=len(frames) > 1, append_images=frames[1:])
    else:
        first = frames[0]
    out = io.BytesIO()
    try:
        first.save(out, kind, **options)
    except Exception:  # noqa: BLE001 - pixels we cannot write back in their format: not taken
        return None
    return kind, out.getvalue()


def clean_scan(data):
    """(content type, extension, bytes to store) of an acceptable scan, the
    bytes written anew without active content or metadata; else ScanRejected."""
    if not data:
        raise ScanRejected(_l("Plik jest pusty."))
    if len(data) > MAX_SCAN_BYTES:
        raise ScanRejected(_l("Plik jest za duży: skan może mieć najwyżej 10 MB."))
    if data[:5] == b"%PDF-":
        return (*PDF_TYPE, _clean_pdf(data))
    found = _clean_image(data)
    if found is None:
        raise ScanRejected(NOT_A_SCAN)
    kind, cleaned = found
    return (*IMAGE_TYPES[kind], cleaned)


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


def store_checked(directory, data, field="scan"):
    """An uploaded scan checked (clean_scan: written anew, active content
    refused) and stored: (name, content type, sha256, size). A refused file
    is a DataError at `field`. Every upload (signatures, attendance lists,
    indicators' evidence, contracts) stores through it."""
    try:
        content_type, extension, cleaned = clean_scan(data)
    except ScanRejected as error:
        raise DataError(field, error.message) from None
    name, digest = store_scan(directory, cleaned, extension)
    return name, content_type, digest, len(cleaned)


def scan_path(directory, name):
    """The stored file's path; None for anything that is not one of our names."""
    base, extension = os.path.splitext(name or "")
    if len(base) != 32 or not all(c in "0123456789abcdef" for c in base) or extension not in TYPES_BY_EXTENSION:
        return None
    return os.path.join(directory, name)


def scan_response(directory, name, download_stem, opened):
    """A stored scan as a download, or 404 when it is not one of our names or
    its file is gone. `opened()` records who opened it (the audit trail or
    the case's access log) once the file is open; the record is committed
    before the file is sent."""
    from flask import abort, send_file

    from ..extensions import db

    path = scan_path(directory, name) if name else None
    if path is None:
        abort(404)
    try:
        handle = open(path, "rb")
    except OSError:
        abort(404)
    opened()
    db.session.commit()
    extension = os.path.splitext(name)[1]
    response = send_file(handle, mimetype=TYPES_BY_EXTENSION.get(extension, "application/octet-stream"),
                         as_attachment=True, download_name=f"{download_stem}{extension}", max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store"
    return response


def remove_scan(directory, name):
    path = scan_path(directory, name)
    if path and os.path.exists(path):
        os.remove(path)


def allow_scan_upload(blueprint, endpoint):
    """Room for a 10 MB scan and the form around it on `endpoint`'s POST,
    set before anything reads the body (the CSRF check does, before the
    view). The plans' signature form and the attendance list's scan use it."""
    from flask import request

    @blueprint.url_value_preprocessor
    def _upload_limit(name, values):
        if name == endpoint and request.method == "POST":
            request.max_content_length = MAX_SCAN_BYTES + 512 * 1024


def commit_with_scan(change, directory, refused):
    """The tail of every view that stores an uploaded scan with a change (a
    plan's signature, an attendance list, an indicator's evidence, a
    contract): `change()` writes the file and changes the record, returning
    the names (stored, replaced); the transaction then commits. The file it
    stored is removed whenever the transaction does not commit, whatever
    stops it; the one it replaced, once it has. A refusal named in `refused`
    ({exception class or tuple: handler(error)}) rolls back and answers the
    handler's response; None when the change committed."""
    stored = None
    try:
        stored, replaced = change()
        db.session.commit()
    except Exception as error:
        if stored:
            remove_scan(directory, stored)
        handler = next((handle for kinds, handle in refused.items() if isinstance(error, kinds)), None)
        if handler is None:
            raise
        db.session.rollback()
        if isinstance(error, (VersionConflict, StaleDataError)):
            db.session.expire_all()
        return handler(error)
    if replaced:
        remove_scan(directory, replaced)
    return None
