"""The catalogue search's honest answers in real Chromium (issue 12): the
partial-match heading naming the words that matched nothing, and the "Czy
chodziło Ci o" link keeping the filters. axe-core (WCAG 2.1 AA) on each state,
the Nu HTML Checker on the same pages as the server sends them."""
import re
from datetime import datetime, time
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from tests.vnu import Pages, assert_valid_page, run_vnu

pytestmark = pytest.mark.browser

PARTIAL_HEADING = "Nie znaleźliśmy wszystkich słów — usługi pasujące do części zapytania"
PARTIAL = "/?q=rehabilitacja+po+udarze"
SUGGESTED = "/?q=opieknka&group=seniors"


@pytest.fixture
def catalogue(app):
    """The demo catalogue with its synonyms, the clock at 10:00 (Warsaw) today."""
    from portal.demo.catalogue import seed_catalogue
    from portal.extensions import db
    from portal.timeutil import WARSAW

    app.config["FIXED_NOW"] = datetime.combine(datetime.now(WARSAW).date(), time(10, 0), tzinfo=WARSAW)
    seed_catalogue(db.session)
    db.session.commit()


def test_a_partial_match_says_so_and_names_the_unmatched_word(page, catalogue, assert_accessible):
    page.goto("/")
    page.locator("#q").press_sequentially("opieka nad tatą po udarze", delay=30)  # searched as you type

    expect(page).to_have_url(re.compile(r"[?&]q=opieka(\+|%20)nad(\+|%20)tat"))
    heading = page.locator("#result-count")
    expect(heading).to_have_text(PARTIAL_HEADING)
    note = page.locator("#results .partial-note")
    expect(note).to_contain_text("Słowa „tatą”, „udarze” nie pasują do żadnej usługi.")
    expect(note).to_contain_text(re.compile(r"Znaleziono \d+ usług"))
    expect(page.locator("#status")).to_contain_text(PARTIAL_HEADING)  # announced, with the count
    expect(page.locator("#results").get_by_role("link", name="Pakiet Opieka Plus", exact=True)).to_be_visible()
    assert_accessible(page)


def test_the_suggestion_link_corrects_the_query_and_keeps_the_filters(page, catalogue, assert_accessible):
    page.goto(SUGGESTED)
    suggestion = page.locator("#results .suggestion")
    expect(suggestion).to_have_text("Czy chodziło Ci o: opiekunka?")
    assert_accessible(page)

    suggestion.get_by_role("link", name="opiekunka").click()

    expect(page).to_have_url(re.compile(r"[?&]q=opiekunka(&|$)"))
    assert parse_qs(urlsplit(page.url).query) == {"q": ["opiekunka"], "group": ["seniors"]}
    expect(page.locator("#q")).to_have_value("opiekunka")
    expect(page.locator("#group")).to_have_value("seniors")
    expect(page.locator("#results .suggestion")).to_have_count(0)
    expect(page.locator("#results").get_by_role("link", name="Pakiet Opieka Plus", exact=True)).to_be_visible()
    assert_accessible(page)


def test_both_states_are_valid_html(app, catalogue):
    client = app.test_client()
    pages = Pages()
    for page_id, url in (("partial", PARTIAL), ("suggestion", SUGGESTED)):
        pages.keep(page_id, client.get(url), url)
    assert PARTIAL_HEADING in pages["partial"][2] and "Czy chodziło Ci o" in pages["suggestion"][2]
    run = (pages, run_vnu(pages))
    assert_valid_page(run, "partial", 200)
    assert_valid_page(run, "suggestion", 200)
