"""The Nu HTML Checker (vnu.jar) for the page-validity tests of every feature.

A module renders its pages into `Pages`, checks them with ONE `java -jar
vnu.jar` run per database backend (`checked_once`), and its per-page tests
read that run (`assert_valid_page`), so each page reports on its own.

`make test` installs Java (Debian) and vnu.jar (`npm ci`): if either is
missing the tests FAIL, they do not skip.
"""
import json
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


class Pages(dict):
    """Rendered pages: {page id: (url, status, html)}."""

    def keep(self, page_id, response, url=None):
        self[page_id] = (url or response.request.path, response.status_code, response.text)


def run_vnu(rendered):
    """{page id: [vnu.jar's errors]} for the rendered pages, in one run."""
    java = shutil.which("java")
    if java is None:
        pytest.fail("Java is missing: the Nu HTML Checker needs it (`make test` installs default-jre-headless).")
    if not VNU_JAR.exists():
        pytest.fail(f"{VNU_JAR.relative_to(ROOT)} is missing: run `npm ci` (`make test` does).")
    folder = Path(tempfile.mkdtemp(prefix="vnu-"))
    try:
        files = {}
        for page_id, (_url, _status, html) in rendered.items():
            path = folder / f"{page_id}.html"
            path.write_text(html, encoding="utf-8")
            files[path.name] = page_id
        result = subprocess.run(
            [java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *map(str, sorted(folder.iterdir()))],
            capture_output=True, text=True, timeout=600,
        )
        try:
            report = json.loads(result.stderr or result.stdout)
        except json.JSONDecodeError:
            pytest.fail(f"vnu.jar did not answer with JSON (exit {result.returncode}):\n"
                        f"{result.stderr[-2000:]}\n{result.stdout[-2000:]}")
        errors = {page_id: [] for page_id in rendered}
        for message in report.get("messages", []):
            if message.get("type") not in ("error", "non-document-error", "fatal"):
                continue
            name = (message.get("url") or "").rsplit("/", 1)[-1]
            page_id = files.get(name)
            if page_id is None:
                pytest.fail(f"vnu.jar reported on an unknown file: {message}")
            errors[page_id].append(message)
        return errors
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def checked_once(runs, database_url, render):
    """(pages, errors): `render()` and one vnu.jar run the first time a
    module asks on this database backend, kept in the module's `runs`."""
    if database_url not in runs:
        rendered = render()
        runs[database_url] = (rendered, run_vnu(rendered))
    return runs[database_url]


def describe(page_id, url, html, messages):
    lines = [f"Nu HTML Checker: {len(messages)} error(s) on {page_id} ({url}):"]
    source = html.splitlines()
    for m in messages:
        line = m.get("lastLine") or m.get("firstLine")
        column = m.get("firstColumn") or m.get("lastColumn")
        lines.append(f"- line {line}, column {column}: {m.get('message')}")
        extract = m.get("extract") or (source[line - 1].strip() if line and line <= len(source) else "")
        if extract:
            extract = " ".join(extract.split())[:200]
            lines.append(f"    {extract}")
    return "\n".join(lines)


def assert_valid_page(run, page_id, expected_status=None):
    """The page answered `expected_status` (without one: anything below 500),
    is a whole document and has no vnu.jar error."""
    rendered, errors = run
    url, status, html = rendered[page_id]
    if expected_status is None:
        assert status < 500, f"{page_id}: {url} answered {status}"
    else:
        assert status == expected_status, f"{page_id} ({url}): HTTP {status}, expected {expected_status}"
    assert html.lstrip().lower().startswith("<!doctype html>"), f"{page_id} ({url}) is not a full document"
    assert errors[page_id] == [], describe(page_id, url, html, errors[page_id])
