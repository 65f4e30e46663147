"""A fact list (`<dl class="facts">`, portal.css) shows each term and its
value on a line of its own only when the pair is wrapped in a <div>: bare
pairs run together into one paragraph (the desk report's deadlines did)."""
import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def test_every_fact_lists_pair_is_wrapped_in_a_div():
    bare = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        for block in re.findall(r'(?s)<dl class="(?:card-)?facts">(.*?)</dl>', text):
            for match in re.finditer(r"<dt\b", block):
                before = re.sub(r"(?s)\{%.*?%\}|\s", "", block[:match.start()])
                if not before.endswith("<div>"):
                    bare.append(f"{path.relative_to(TEMPLATES)}: {block[match.start():match.start() + 60]!r}")
    assert bare == []
