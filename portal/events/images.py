"""Event images: checked by content, size-limited, resized, re-encoded
(which drops EXIF and anything hidden after the image data) and stored under
the instance folder, never in static/. Files get random names; only names
of that shape are ever opened."""
import io
import os
import re
import secrets
import shutil
import time

from flask import current_app
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 5 * 1024 * 1024
MAX_SIDE = 1600
ORPHAN_AGE_SECONDS = 24 * 3600
MAX_PIXELS = 40_000_000  # a 5 MB file that decodes to more is a decompression bomb
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
MIMETYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}
NAME_RE = re.compile(r"^[0-9a-f]{32}\.(jpg|png|webp)$")


class ImageError(ValueError):
    """`code`: too_big, not_image, bad_format, too_many_pixels."""

    def __init__(self, code):
        super().__init__(code)
        self.code = code


def media_dir():
    folder = current_app.config.get("EVENT_MEDIA_DIR") or os.path.join(current_app.instance_path, "media", "events")
    os.makedirs(folder, exist_ok=True)
    return folder


def is_safe_name(name):
    return bool(name) and bool(NAME_RE.match(name))


def path_for(name):
    """The file's path, or None for a name we never made or a missing file."""
    if not is_safe_name(name):
        return None
    path = os.path.join(media_dir(), name)
    return path if os.path.isfile(path) else None


def _read_limited(stream):
    data = stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ImageError("too_big")
    return data


def process(data):
    """Bytes of an upload -> (bytes to store, extension). Raises ImageError."""
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind = probe.format
            width, height = probe.size
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise ImageError("not_image") from None
    if kind not in FORMATS:
        raise ImageError("bad_format")
    if width * height > MAX_PIXELS:
        raise ImageError("too_many_pixels")
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            image = ImageOps.exif_transpose(image)  # keep the orientation the camera meant
            image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
            extension = FORMATS[kind]
            out = io.BytesIO()
            if extension == "jpg":
                image.convert("RGB").save(out, "JPEG", quality=85, optimize=True, progressive=True)
            elif extension == "png":
                if image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
                    image = image.convert("RGBA")
                image.save(out, "PNG", optimize=True)
            else:
                if image.mode not in ("RGB", "RGBA"):
                    image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
                image.save(out, "WEBP", quality=85)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        # Truncated or corrupt data that passed the header check.
        raise ImageError("not_image") from None
    return out.getvalue(), extension


def _write(data, extension):
    name = f"{secrets.token_hex(16)}.{extension}"
    folder = media_dir()
    temporary = os.path.join(folder, f".{name}.tmp")
    with open(temporary, "wb") as handle:
        handle.write(data)
    os.replace(temporary, os.path.join(folder, name))
    return name


def store_upload(stream):
    """Check, resize and store an uploaded file; returns its new name."""
    data, extension = process(_read_limited(stream))
    return _write(data, extension)


def copy(name):
    """A copy under a new name (a duplicated event owns its own file)."""
    source = path_for(name)
    if source is None:
        return None
    new_name = f"{secrets.token_hex(16)}.{name.rsplit('.', 1)[1]}"
    shutil.copyfile(source, os.path.join(media_dir(), new_name))
    return new_name


def remove_orphans(referenced, *, now_seconds=None):
    """Delete files no event refers to that are older than a day: replaced
    or removed images, and uploads of forms that were never saved (a form
    keeps its pending upload for that long). Returns the names removed."""
    folder = media_dir()
    limit = (now_seconds if now_seconds is not None else time.time()) - ORPHAN_AGE_SECONDS
    removed = []
    for name in os.listdir(folder):
        temporary = name.startswith(".") and name.endswith(".tmp")
        if not (is_safe_name(name) or temporary) or name in referenced:
            continue
        path = os.path.join(folder, name)
        try:
            if os.path.getmtime(path) < limit:
                os.remove(path)
                removed.append(name)
        except FileNotFoundError:
            continue  # another process got there first
    return removed
