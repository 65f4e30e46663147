"""Polish first, English complete: every interface text in the code has an
English translation, and every Polish plural has its three forms."""
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None,
            "lazy_ngettext": (1, 2)}


def catalogue(lang):
    with open(ROOT / "portal" / "translations" / lang / "LC_MESSAGES" / "messages.po", "rb") as f:
        return read_po(f, locale=lang)


@pytest.fixture(scope="module")
def code_messages():
    # As babel.cfg: the portal's and the kiosk's code and templates.
    method_map = [("portal/**.py", "python"), ("kiosk/**.py", "python"), ("templates/**.html", "jinja2"),
                  ("kiosk/**.html", "jinja2")]
    found = {}
    for filename, _lineno, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map=method_map, keywords=KEYWORDS,
            options_map={"templates/**.html": {"extensions": "jinja2.ext.do"}}):
        if not any(part in filename for part in ("node_modules", ".venv")):
            found[message if isinstance(message, str) else message[0]] = filename
    return found


def test_every_text_in_the_code_has_an_english_translation(code_messages):
    english = catalogue("en")
    missing = []
    for msgid, filename in sorted(code_messages.items()):
        entry = english.get(msgid)
        string = entry.string if entry else None
        if not string or (isinstance(string, tuple) and not all(string)):
            missing.append(f"{filename}: {msgid}")
    assert missing == [], "run `make messages` and translate:\n" + "\n".join(missing)


def test_no_fuzzy_english_entries():
    assert [m.id for m in catalogue("en") if m.id and m.fuzzy] == []


def test_polish_plurals_have_three_forms(code_messages):
    polish = catalogue("pl")
    incomplete = [m.id[0] for m in polish if isinstance(m.id, tuple) and m.id[0] in code_messages
                  and not (len(m.string) == 3 and all(m.string))]
    assert incomplete == []


def test_every_plural_in_the_code_has_its_three_polish_forms(code_messages):
    """Without a Polish entry a plural falls back to its two msgids: "22 spotkań"."""
    english = catalogue("en")
    polish = catalogue("pl")
    plurals = [m.id[0] for m in english if isinstance(m.id, tuple) and m.id[0] in code_messages]
    missing = [msgid for msgid in plurals
               if not (polish.get(msgid) and len(polish.get(msgid).string) == 3 and all(polish.get(msgid).string))]
    assert missing == []


@pytest.mark.parametrize("lang", ["pl", "en"])
def test_each_text_is_translated_once(lang):
    """Two entries for one text (two features appending the same word) leave
    one of them unused, silently: the catalogue keeps the last."""
    import re
    from collections import Counter

    text = (ROOT / "portal" / "translations" / lang / "LC_MESSAGES" / "messages.po").read_text(encoding="utf-8")
    entries = re.findall(r'^(?:msgctxt "(.*)"\n)?msgid "(.+)"$', text, re.M)
    assert [entry for entry, count in Counter(entries).items() if count > 1] == []


def test_wtforms_own_messages_follow_the_request_language(app):
    """WTForms' built-in messages come in the request's language from a
    catalogue loaded once per process (portal/i18n.py), Polish by default and
    English when the visitor chose it, even within one process."""
    from flask_wtf import FlaskForm
    from wtforms import IntegerField

    class Form(FlaskForm):
        class Meta:
            csrf = False

        number = IntegerField("Liczba")

    messages = {}
    for language in ("pl", "en", "pl"):
        # A fresh app context per request, as when served (Flask-Babel keeps the locale in flask.g).
        with app.app_context(), app.test_request_context("/", method="POST", data={"number": "abc"},
                                                         headers={"Cookie": f"lang={language}"}):
            app.preprocess_request()
            form = Form()
            form.validate()
            messages.setdefault(language, set()).add(form.number.errors[0])
    assert messages == {"pl": {"Nieprawidłowa liczba całkowita"}, "en": {"Not a valid integer value."}}
