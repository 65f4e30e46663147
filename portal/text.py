"""Polish alphabetical order: one rule for every list and dropdown.

Polish dictionaries put each letter with a diacritic right after its base
letter and before the next one: a ą b c ć … l ł m n ń o ó p … s ś t … z ź ż
("Bęczków" before "Bożniewice", "Lipa" before "Łóżko", "Sucha" before
"Świderki"). Neither Python's str order nor the databases' default collations
do that (they put ł after z, or fold it into l).

The rule is written once, as a text transformation both Python and SQL can
apply: lower case, and each Polish letter replaced by its base letter
followed by a character that sorts after every letter ("ł" -> "l{",
"ż" -> "z|"). Compared code point by code point — Python's str order,
SQLite's BINARY, PostgreSQL's COLLATE "C" — the transformed texts are in
Polish order; spaces and hyphens sort before letters, so "Klub Seniora"
comes before "Klubowa".

Lists built in Python sort with `polish_sort_key`; lists the database
orders and pages (people, where sorting everything in Python is out of the
question) use `polish_order(column)`, the same transformation as an SQL
expression — no stored column to keep in step, no ICU collation the
database may lack. It is computed per row, so such an ORDER BY does not
read an index in order: fine for the page sizes here (a coordinator's
cases, a search's matches).

Also the one folding of text for search and addresses: `fold` (lower case,
no diacritics, ł -> l, words of [0-9a-z] apart by single spaces) and
`slugify`, the web address part every slug is made with."""
import re
import unicodedata

from sqlalchemy import String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

# Each letter's place: after its base letter and everything that follows it.
_LETTERS = {"ą": "a{", "ć": "c{", "ę": "e{", "ł": "l{", "ń": "n{", "ó": "o{", "ś": "s{", "ź": "z{", "ż": "z|"}
_TABLE = str.maketrans(_LETTERS)

# ł has no Unicode decomposition; the rest are letters a name may borrow.
_FOLD = str.maketrans({"ł": "l", "Ł": "l", "ß": "ss", "đ": "d", "Đ": "d", "ø": "o", "Ø": "o"})
_NON_WORD = re.compile(r"[^0-9a-z]+")


def fold(text):
    """'Łóżko rehabilitacyjne' -> 'lozko rehabilitacyjne'."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKD", text.translate(_FOLD))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return _NON_WORD.sub(" ", text).strip()


def slugify(text, max_length=120):
    """'Klub Seniora w Bęczkowie' -> 'klub-seniora-w-beczkowie': the folded
    words joined by hyphens, cut to `max_length` characters, never starting
    or ending with a hyphen (so it may come out shorter, or empty)."""
    return fold(text).replace(" ", "-")[:max_length].strip("-")


def polish_sort_key(text):
    """The key for sorting names in Polish alphabetical order."""
    return (text or "").lower().translate(_TABLE)


class polish_order(FunctionElement):
    """`polish_sort_key` of a text column, in SQL: ORDER BY polish_order(Village.name)."""

    type = String()
    inherit_cache = True
    name = "polish_order"


def _replaced(sql):
    # SQLite's lower() folds ASCII only: the Polish capitals are replaced too.
    for letter, key in _LETTERS.items():
        sql = f"replace(replace({sql}, '{letter}', '{key}'), '{letter.upper()}', '{key}')"
    return sql


@compiles(polish_order)
def _polish_order_sqlite(element, compiler, **kw):
    # BINARY is SQLite's default: UTF-8 bytes in code point order.
    return _replaced(f"lower(coalesce({compiler.process(element.clauses, **kw)}, ''))")


@compiles(polish_order, "postgresql")
def _polish_order_pg(element, compiler, **kw):
    return _replaced(f"lower(coalesce({compiler.process(element.clauses, **kw)}, ''))") + ' COLLATE "C"'
