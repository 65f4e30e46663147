"""Scans of signed plans are stored without active content (issue 9, LOW 1).

A PDF with JavaScript, actions that run on opening, additional actions,
launch actions, embedded files, rich media or XFA is refused at the field
(422, nothing stored). A PDF without them is rewritten by pypdf, so bytes
after %%EOF and the older revisions of incremental updates are gone. An image
is re-encoded by Pillow: no EXIF or text chunks, no bytes after its end, the
same pixels (turned upright when the EXIF said so).

The PDFs are written by hand (`_pdf`) so that the test does not depend on
what pypdf itself would write.
"""
import hashlib
import io
import re

import pytest
from PIL import Image, ImageDraw
from pypdf import PdfReader

from portal.auth.models import Role
from portal.extensions import db
from portal.plans import scans
from portal.plans.models import Plan
from tests.plans.fixtures import TODAY

TRAILER = b"APPENDED-AFTER-EOF<script>alert(1)</script>"
ACTIVE_MESSAGE = "Ten plik PDF zawiera skrypty, załączniki lub inne aktywne elementy"


# --- hand-written PDFs --------------------------------------------------------------------------------------

def _objects(objects, *, first=1, start=0, prev=None, size=None, root=1):
    """Objects numbered from `first`, an xref table and a trailer, as bytes
    written at offset `start` of the file (an incremental update when `prev`)."""
    out = io.BytesIO()
    offsets = []
    for number, body in enumerate(objects, first):
        offsets.append(start + out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = start + out.tell()
    if prev is None:
        out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    else:
        out.write(b"xref\n%d %d\n" % (first, len(objects)))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    extra = b" /Prev %d" % prev if prev is not None else b""
    out.write(b"trailer\n<< /Size %d /Root %d 0 R%s >>\nstartxref\n%d\n%%%%EOF\n"
              % (size or len(objects) + 1, root, extra, xref))
    return out.getvalue(), xref


def _content(text):
    body = b"BT /F1 24 Tf 20 100 Td (" + text + b") Tj ET"
    return b"<< /Length %d >>\nstream\n" % len(body) + body + b"\nendstream"


def _pdf(*, catalog=b"", page=b"", text=b"PODPISANO", more=()):
    """One page saying `text`; `catalog` and `page` go into those
    dictionaries, `more` are extra objects numbered from 6."""
    head = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
    body, _xref = _objects([
        b"<< /Type /Catalog /Pages 2 0 R " + catalog + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> " + page + b" >>",
        _content(text),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        *more,
    ], start=len(head))
    return head + body


def _pdf_with_object_stream(count, *, catalog=b""):
    """A PDF 1.5 whose objects 7.. sit in one object stream (6) listed by an
    xref stream, as WeasyPrint, Acrobat or qpdf write them; object 7 is the
    catalog's /OpenAction when `catalog` names it."""
    head = b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n"
    out = io.BytesIO(head)
    out.seek(len(head))
    inner = [b"<< /S /JavaScript /JS (app.alert\\(1\\)) >>"] + [b"null"] * (count - 1)
    index, body = [], b""
    for number, text in enumerate(inner, 7):
        index.append(b"%d %d" % (number, len(body)))
        body += text + b" "
    first = b" ".join(index) + b" "
    stream = first + body
    plain = [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        _content(b"PODPISANO"),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Type /ObjStm /N %d /First %d /Length %d >>\nstream\n" % (count, len(first), len(stream))
        + stream + b"\nendstream",
    ]
    offsets = []
    for number, text in enumerate(plain, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + text + b"\nendobj\n")
    xref_number = 7 + count
    xref_offset = out.tell()
    rows = [bytes([0]) + (0).to_bytes(4, "big") + (65535).to_bytes(2, "big")]
    rows += [bytes([1]) + offset.to_bytes(4, "big") + (0).to_bytes(2, "big") for offset in offsets]
    rows += [bytes([2]) + (6).to_bytes(4, "big") + i.to_bytes(2, "big") for i in range(count)]
    rows.append(bytes([1]) + xref_offset.to_bytes(4, "big") + (0).to_bytes(2, "big"))
    table = b"".join(rows)
    out.write(b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n"
              % (xref_number, xref_number + 1, len(table)) + table + b"\nendstream\nendobj\n")
    out.write(b"startxref\n%d\n%%%%EOF\n" % xref_offset)
    return out.getvalue()


ACTIVE_PDFS = {
    "open action javascript": dict(catalog=b"/OpenAction << /S /JavaScript /JS (app.alert\\(1\\)) >>"),
    "open action javascript, name escaped": dict(catalog=b"/OpenAction << /S /Java#53cript /JS 6 0 R >>",
                                                 more=[b"<< /Length 12 >>\nstream\napp.alert(1)\nendstream"]),
    "open action launch": dict(catalog=b"/OpenAction << /S /Launch /F (cmd.exe) >>"),
    "open action as an indirect object": dict(catalog=b"/OpenAction 6 0 R",
                                              more=[b"<< /Type /Action /S /JavaScript /JS (x) >>"]),
    "document javascript": dict(catalog=b"/Names << /JavaScript << /Names [(a) 6 0 R] >> >>",
                                more=[b"<< /S /JavaScript /JS (app.alert\\(1\\)) >>"]),
    "page additional actions": dict(page=b"/AA << /O << /S /GoTo /D [3 0 R /Fit] >> >>"),
    "link that launches": dict(page=b"/Annots [6 0 R]", more=[
        b"<< /Type /Annot /Subtype /Link /Rect [0 0 300 200] /A << /S /Launch /F (calc.exe) >> >>"]),
    "link that submits a form": dict(page=b"/Annots [6 0 R]", more=[
        b"<< /Type /Annot /Subtype /Link /Rect [0 0 300 200] /A << /S /SubmitForm /F (http://x) >> >>"]),
    "chained action": dict(catalog=b"/OpenAction << /S /GoTo /D [3 0 R /Fit] /Next << /S /JavaScript /JS (x) >> >>"),
    "embedded file": dict(catalog=b"/Names << /EmbeddedFiles << /Names [(a.exe) 6 0 R] >> >>", more=[
        b"<< /Type /Filespec /F (a.exe) /EF << /F 7 0 R >> >>",
        b"<< /Type /EmbeddedFile /Length 2 >>\nstream\nMZ\nendstream"]),
    "file attachment annotation": dict(page=b"/Annots [6 0 R]", more=[
        b"<< /Type /Annot /Subtype /FileAttachment /Rect [0 0 10 10] /FS (a.exe) >>"]),
    "rich media": dict(page=b"/Annots [6 0 R]", more=[
        b"<< /Type /Annot /Subtype /RichMedia /Rect [0 0 10 10] >>"]),
    "xfa form": dict(catalog=b"/AcroForm << /Fields [] /XFA 6 0 R >>",
                     more=[b"<< /Length 7 >>\nstream\n<xdp/>\nendstream"]),
}


@pytest.mark.parametrize("parts", ACTIVE_PDFS.values(), ids=ACTIVE_PDFS.keys())
def test_a_pdf_with_active_content_is_refused(parts):
    data = _pdf(**parts)
    assert len(PdfReader(io.BytesIO(data)).pages) == 1  # a readable PDF, refused for what it holds
    with pytest.raises(scans.ScanRejected) as refused:
        scans.clean_scan(data)
    assert str(refused.value.message).startswith(ACTIVE_MESSAGE)


def test_a_pdf_that_opens_on_its_first_page_or_links_to_a_web_page_is_kept():
    data = _pdf(catalog=b"/OpenAction [3 0 R /Fit] /PageLabels << /Nums [0 << /S /D >>] >>",
                page=b"/Annots [6 0 R]",
                more=[b"<< /Type /Annot /Subtype /Link /Rect [0 0 300 200] "
                      b"/A << /S /URI /URI (https://cus.wojcieszkow.pl/) >> >>"])
    content_type, extension, stored = scans.clean_scan(data)
    assert (content_type, extension) == ("application/pdf", ".pdf")
    assert "PODPISANO" in PdfReader(io.BytesIO(stored)).pages[0].extract_text()


def test_a_pdf_is_stored_without_bytes_after_its_end():
    data = _pdf() + TRAILER
    content_type, extension, stored = scans.clean_scan(data)
    assert content_type == "application/pdf"
    assert TRAILER not in stored and b"<script>" not in stored
    assert stored.rstrip().endswith(b"%%EOF") and stored.count(b"%%EOF") == 1
    reader = PdfReader(io.BytesIO(stored), strict=True)
    assert len(reader.pages) == 1 and "PODPISANO" in reader.pages[0].extract_text()


def test_a_pdf_keeps_only_its_last_revision():
    original = _pdf(text=b"WERSJA-STARA")
    first_xref = int(original.rsplit(b"startxref", 1)[1].split()[0])
    update, _xref = _objects([_content(b"WERSJA-NOWA")], first=4, start=len(original), prev=first_xref, size=6)
    data = original + update
    assert "WERSJA-NOWA" in PdfReader(io.BytesIO(data)).pages[0].extract_text()
    _type, _ext, stored = scans.clean_scan(data)
    assert b"WERSJA-STARA" not in stored and b"/Prev" not in stored and stored.count(b"%%EOF") == 1
    assert "WERSJA-NOWA" in PdfReader(io.BytesIO(stored)).pages[0].extract_text()


def test_a_pdf_with_an_object_stream_is_read_through_it():
    _type, _ext, stored = scans.clean_scan(_pdf_with_object_stream(50))
    assert "PODPISANO" in PdfReader(io.BytesIO(stored)).pages[0].extract_text()
    with pytest.raises(scans.ScanRejected) as refused:  # the JavaScript sits inside the object stream
        scans.clean_scan(_pdf_with_object_stream(50, catalog=b"/OpenAction 7 0 R"))
    assert str(refused.value.message).startswith(ACTIVE_MESSAGE)


def test_a_pdf_too_costly_to_read_is_refused_before_it_is_read(monkeypatch):
    # pypdf reads the N objects of one object stream in N²/2 steps: 3,000 take over a minute.
    with pytest.raises(scans.ScanRejected) as refused:
        scans.clean_scan(_pdf_with_object_stream(3000))
    assert "zbyt złożony" in str(refused.value.message)
    monkeypatch.setattr(scans, "MAX_PDF_ITEMS", 1000)
    with pytest.raises(scans.ScanRejected) as refused:
        scans.clean_scan(_pdf(page=b"/Rotate 0 /Junk [" + b"0 " * 2000 + b"]"))
    assert "zbyt złożony" in str(refused.value.message)


def test_a_pdf_with_a_password_is_refused():
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(_pdf())))
    writer.encrypt("tajne", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(scans.ScanRejected) as refused:
        scans.clean_scan(out.getvalue())
    assert "hasłem" in str(refused.value.message)


# --- images -------------------------------------------------------------------------------------------------

def _signature_image(size=(120, 60)):
    image = Image.new("RGB", size, "white")
    ImageDraw.Draw(image).line([(5, size[1] - 10), (size[0] - 5, 10)], fill="navy", width=4)
    return image


def _jpeg(image=None, orientation=None):
    image = image or _signature_image()
    exif = Image.Exif()
    exif[0x010F] = "Aparat Testowy"       # Make
    exif[0x0131] = "ApkaSkanera 1.0"      # Software
    if orientation:
        exif[0x0112] = orientation
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif.tobytes(), quality=95, dpi=(300, 300))
    return buffer.getvalue()


def _png():
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Author", "Jan Nowak, PESEL 44051401359")
    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "Aparat Testowy"
    _signature_image().save(buffer, "PNG", pnginfo=info, exif=exif.tobytes(), dpi=(300, 300))
    return buffer.getvalue()


def _opened(data):
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def test_a_jpeg_is_re_encoded_without_exif_or_appended_bytes():
    original = _jpeg()
    assert _opened(original).getexif()  # the sample does carry EXIF
    content_type, extension, stored = scans.clean_scan(original + TRAILER)
    assert (content_type, extension) == ("image/jpeg", ".jpg")
    assert TRAILER not in stored and b"Aparat Testowy" not in stored and b"Exif" not in stored
    image = _opened(stored)
    assert image.format == "JPEG" and image.size == (120, 60) and not image.getexif()
    assert image.info.get("dpi") == (300, 300)
    assert image.getpixel((60, 30))[2] > image.getpixel((60, 30))[0]  # the navy stroke survived
    assert image.getpixel((3, 3)) > (240, 240, 240)


def test_a_photo_taken_sideways_is_stored_upright():
    _type, _ext, stored = scans.clean_scan(_jpeg(orientation=6))  # "rotate 90° clockwise to view"
    image = _opened(stored)
    assert image.size == (60, 120) and not image.getexif()


def test_a_phone_photo_with_a_second_picture_keeps_the_first():
    photo, depth = _signature_image(), Image.new("RGB", (120, 60), "black")
    buffer = io.BytesIO()
    photo.save(buffer, "MPO", save_all=True, append_images=[depth])
    assert _opened(buffer.getvalue()).format == "MPO"
    content_type, _ext, stored = scans.clean_scan(buffer.getvalue())
    image = _opened(stored)
    assert content_type == "image/jpeg" and image.format == "JPEG" and getattr(image, "n_frames", 1) == 1
    assert image.getpixel((3, 3)) > (240, 240, 240)


def test_a_png_is_re_encoded_without_text_chunks_exif_or_appended_bytes():
    original = _png()
    assert b"44051401359" in original and b"eXIf" in original
    content_type, extension, stored = scans.clean_scan(original + TRAILER)
    assert (content_type, extension) == ("image/png", ".png")
    assert TRAILER not in stored and b"44051401359" not in stored and b"tEXt" not in stored
    assert b"eXIf" not in stored and stored.endswith(b"IEND\xaeB`\x82")
    image = _opened(stored)
    assert image.format == "PNG" and image.size == (120, 60)
    assert tuple(round(v) for v in image.info["dpi"]) == (300, 300)  # stored per metre
    assert image.tobytes() == _signature_image().tobytes()  # lossless: the same pixels


def test_a_tiff_keeps_its_pages_and_loses_its_tags():
    pages = [Image.new("1", (200, 100), 1), Image.new("1", (200, 100), 0)]
    buffer = io.BytesIO()
    pages[0].save(buffer, "TIFF", save_all=True, append_images=pages[1:], description="Jan Nowak 44051401359",
                  dpi=(300, 300))
    content_type, extension, stored = scans.clean_scan(buffer.getvalue() + TRAILER)
    assert (content_type, extension) == ("image/tiff", ".tif")
    assert b"44051401359" not in stored and TRAILER not in stored
    image = _opened(stored)
    assert image.n_frames == 2 and image.size == (200, 100)
    assert image.getpixel((0, 0)) != 0
    image.seek(1)
    assert image.getpixel((0, 0)) == 0


def test_an_image_with_too_many_pixels_is_refused():
    buffer = io.BytesIO()
    Image.new("1", (10000, 10000), 1).save(buffer, "PNG")  # 100 megapixels in a few kilobytes
    assert len(buffer.getvalue()) < 100_000
    with pytest.raises(scans.ScanRejected) as refused:
        scans.clean_scan(buffer.getvalue())
    assert "zbyt wiele pikseli" in str(refused.value.message)


# --- through the signature form -----------------------------------------------------------------------------

@pytest.fixture
def coordinator(auth, people):
    auth.login(Role.COORDINATOR, "koordynator")
    return auth


@pytest.fixture
def approved(app, tmp_path, make_case, plans):
    app.config["PLAN_SCAN_DIR"] = str(tmp_path / "scans")
    return plans.approve(plans.submit(plans.draft(make_case())))


def _reload(plan_id):
    db.session.expire_all()
    return db.session.get(Plan, plan_id)


def _sign(client, auth, plan, scan, filename, name="Jan Nowak-Podpis"):
    data = {"csrf_token": auth.token, "version": str(_reload(plan.id).version), "signer_role": "participant",
            "signer_name": name, "signed_on": TODAY.strftime("%d.%m.%Y"), "scan": (io.BytesIO(scan), filename)}
    return client.post(f"/plans/{plan.id}/versions/0/sign", data=data, content_type="multipart/form-data")


def _stored_files(tmp_path):
    folder = tmp_path / "scans"
    return sorted(folder.iterdir()) if folder.exists() else []


def test_a_pdf_with_javascript_comes_back_at_the_field(client, coordinator, approved, tmp_path):
    data = _pdf(catalog=b"/OpenAction << /S /JavaScript /JS (app.alert\\(1\\)) >>")
    response = _sign(client, coordinator, approved, data, "podpis.pdf")
    assert response.status_code == 422
    at_the_field = re.search(r'<p class="error" id="scan-error">([^<]*)</p>', response.text)
    assert at_the_field and ACTIVE_MESSAGE in at_the_field.group(1)
    assert 'value="Jan Nowak-Podpis"' in response.text
    assert _stored_files(tmp_path) == []
    assert _reload(approved.id).versions[0].signatures == []


def _assert_stored(client, plan, tmp_path):
    signature = _reload(plan.id).versions[0].signatures[0]
    [path] = _stored_files(tmp_path)
    stored = path.read_bytes()
    assert path.name == signature.scan_file
    assert signature.scan_size == len(stored)
    assert signature.scan_sha256 == hashlib.sha256(stored).hexdigest()
    download = client.get(f"/plans/signatures/{signature.id}/scan")
    assert download.status_code == 200 and download.data == stored
    return signature, stored


def test_a_pdf_with_appended_bytes_is_stored_without_them(client, coordinator, approved, tmp_path):
    response = _sign(client, coordinator, approved, _pdf() + TRAILER, "podpis.pdf")
    assert response.status_code == 303
    signature, stored = _assert_stored(client, approved, tmp_path)
    assert signature.scan_type == "application/pdf" and signature.scan_file.endswith(".pdf")
    assert TRAILER not in stored
    assert "PODPISANO" in PdfReader(io.BytesIO(stored)).pages[0].extract_text()


@pytest.mark.parametrize("kind", ["jpeg", "png"])
def test_an_image_with_exif_and_appended_bytes_is_stored_re_encoded(client, coordinator, approved, tmp_path, kind):
    original = _jpeg() if kind == "jpeg" else _png()
    response = _sign(client, coordinator, approved, original + TRAILER, f"podpis.{kind}")
    assert response.status_code == 303
    signature, stored = _assert_stored(client, approved, tmp_path)
    assert signature.scan_type == f"image/{kind}"
    assert TRAILER not in stored and b"Aparat Testowy" not in stored and b"44051401359" not in stored
    image = _opened(stored)
    assert image.format == kind.upper() and image.size == (120, 60) and not image.getexif()


def test_commit_with_scan_keeps_files_in_step_with_the_transaction(app, tmp_path):
    """The one tail of the four scan uploads (plans.scans.commit_with_scan):
    the file a change stored is removed whenever the transaction does not
    commit, the one it replaced once it has; a refusal answers its handler."""
    from sqlalchemy import event

    from portal.core.errors import DataError, VersionConflict
    from portal.extensions import db
    from portal.plans.scans import commit_with_scan

    directory = str(tmp_path)

    def write(name):
        (tmp_path / name).write_bytes(b"scan")
        return name

    old, new = write("a" * 32 + ".png"), "b" * 32 + ".png"  # names as store_scan makes them

    def change():
        return write(new), old

    def failing_commit(error):
        """The commit itself refuses (a version column moved, a check failed): the stored file must go."""
        def refuse(_session):
            raise error
        event.listen(db.session, "before_commit", refuse)
        return lambda: event.remove(db.session, "before_commit", refuse)

    for error, refused, expected in (
            (VersionConflict("plan"), {(VersionConflict,): lambda e: ("conflict", type(e).__name__)},
             ("conflict", "VersionConflict")),
            (DataError("scan", "zły plik"), {DataError: lambda e: ("invalid", e.field)}, ("invalid", "scan"))):
        undo = failing_commit(error)
        try:
            assert commit_with_scan(change, directory, refused) == expected
        finally:
            undo()
        assert sorted(p.name for p in tmp_path.iterdir()) == [old]

    undo = failing_commit(RuntimeError("disk"))
    try:
        with pytest.raises(RuntimeError):
            commit_with_scan(change, directory, {DataError: lambda e: None})
    finally:
        undo()
    assert sorted(p.name for p in tmp_path.iterdir()) == [old]

    assert commit_with_scan(change, directory, {DataError: lambda e: None}) is None
    assert sorted(p.name for p in tmp_path.iterdir()) == [new]
