"""Surveys: the questionnaire, anonymous answers, one-time links, aggregates."""
from datetime import date, timedelta

import pytest
from sqlalchemy import inspect

from portal.core.errors import DataError
from portal.extensions import db
from portal.quality import services as quality
from portal.quality import surveys
from portal.quality.models import SurveyAnswer, SurveyScore, SurveyToken


def test_a_service_asks_the_default_questions_until_the_organiser_sets_its_own(club, organiser):
    assert quality.questions_of(db.session, club.id) == list(quality.DEFAULT_QUESTIONS)
    quality.set_questions(db.session, club, ["Czy zajęcia są ciekawe?", "  Czy sala jest ciepła? "], actor=organiser)
    db.session.commit()
    assert quality.questions_of(db.session, club.id) == ["Czy zajęcia są ciekawe?", "Czy sala jest ciepła?"]
    quality.set_questions(db.session, club, [], actor=organiser)
    db.session.commit()
    assert quality.questions_of(db.session, club.id) == list(quality.DEFAULT_QUESTIONS)
    assert not quality.has_own_questions(db.session, club.id)


@pytest.mark.parametrize("texts,message", [
    (["Pytanie?"] * 2, "tylko raz"),
    ([f"Pytanie {n}?" for n in range(9)], "najwyżej 8 pytań"),
    (["x" * 201], "najwyżej 200 znaków"),
])
def test_questions_are_refused_at_the_field(club, organiser, texts, message, in_request):
    with pytest.raises(DataError) as error:
        quality.set_questions(db.session, club, texts, actor=organiser)
    assert error.value.field == "questions" and message in str(error.value.message)


def test_an_answer_keeps_no_person_and_no_link(club, answer):
    stored = answer(club, [5, 4, None, 3], comment="Bardzo miła pani prowadząca.")
    assert [(s.position, s.score) for s in stored.scores] == [(1, 5), (2, 4), (4, 3)]
    assert stored.scores[0].question == quality.DEFAULT_QUESTIONS[0]
    columns = {c.key for c in inspect(SurveyAnswer).columns} | {c.key for c in inspect(SurveyScore).columns}
    assert columns == {"id", "service_id", "answered_on", "channel", "comment", "answer_id", "position", "question",
                       "score"}
    assert {c.key for c in inspect(SurveyToken).columns} == {
        "id", "service_id", "token_hash", "created_at", "expires_at", "used_on", "created_by_id"}


def test_an_empty_answer_or_a_future_day_is_refused(club):
    with pytest.raises(DataError) as error:
        quality.record_answer(db.session, club, {"scores": {}, "comment": "  "}, channel="paper",
                              day=date(2026, 5, 1))
    assert error.value.field == "q1"
    with pytest.raises(DataError) as error:
        quality.record_answer(db.session, club, {"scores": {1: 5}}, channel="paper", day=date(2026, 5, 16))
    assert error.value.field == "answered_on"
    with pytest.raises(DataError) as error:
        quality.record_answer(db.session, club, {"scores": {1: 6}}, channel="paper", day=date(2026, 5, 1))
    assert error.value.field == "q1"


def test_links_store_only_the_hash_and_work_once(club, links, clock):
    token = links(club)[0]
    assert len(token) == 12 and set(token) <= set(surveys.ALPHABET)
    row = db.session.scalar(db.select(SurveyToken))
    assert row.token_hash == surveys.hash_token(token) and token not in row.token_hash
    assert row.expires_at.date() == (clock + timedelta(days=60)).date()
    link, state = quality.find_link(db.session, token)
    assert state == quality.LINK_OK
    quality.answer_by_link(db.session, link, {"scores": {1: 4}})
    db.session.commit()
    link, state = quality.find_link(db.session, token)
    assert state == quality.LINK_USED and link.used_on == date(2026, 5, 15)
    with pytest.raises(quality.LinkUsed):
        quality.answer_by_link(db.session, link, {"scores": {1: 5}})
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count()).select_from(SurveyAnswer)) == 1
    assert db.session.scalar(db.select(SurveyAnswer)).channel == "link"


def test_a_link_expires_after_sixty_days(app, club, links, clock):
    token = links(club)[0]
    app.config["FIXED_NOW"] = clock + timedelta(days=60, seconds=1)
    assert quality.find_link(db.session, token)[1] == quality.LINK_EXPIRED
    assert quality.find_link(db.session, "ABCDEFGHJKMN")[1] == quality.LINK_UNKNOWN


def test_bad_input_does_not_spend_the_link(club, links):
    token = links(club)[0]
    link, _state = quality.find_link(db.session, token)
    with pytest.raises(DataError):
        quality.answer_by_link(db.session, link, {"scores": {}, "comment": ""})
    db.session.rollback()
    assert quality.find_link(db.session, token)[1] == quality.LINK_OK


def test_codes_typed_from_a_slip_are_normalised():
    assert surveys.normalise_code("abcd-efgh jkmn") == "ABCDEFGHJKMN"
    assert surveys.display_code("ABCDEFGHJKMN") == "ABCD-EFGH-JKMN"
    assert surveys.normalise_code("ABCD-EFGH-JKM") is None
    assert surveys.normalise_code("ABCD-EFGH-JKM0") is None  # 0 is not in the alphabet


def test_issue_tokens_refuses_a_silly_count(club):
    for count in (0, 201, "5"):
        with pytest.raises(DataError):
            surveys.issue_tokens(db.session, club.id, count, None)


def test_aggregates_per_quarter_hide_small_groups(club, answer, make_service):
    other = make_service("Kawiarenka")
    answer(club, [5, 5, 4, 4], comment="Dziękuję.")
    answer(club, [4, 3, 5, 5])
    answer(other, [2, 2, 2, 2], comment="Za zimno w sali.")
    start, end = quality.quarter_range(2026, 2)
    rows = {row.service_name: row.figures for row in quality.service_figures(db.session, start, end)}
    assert rows["Klub Seniora w Burzcu"].answers == 2 and rows["Klub Seniora w Burzcu"].hidden
    assert quality.comments(db.session, club.id, start, end) == []
    answer(club, [3, 3, 3, 3], comment="Wszystko w porządku.")
    figures = quality.figures_of(db.session, club.id, start, end)
    assert not figures.hidden and figures.answers == 3
    assert figures.average == pytest.approx(47 / 12)
    assert figures.high_share == pytest.approx(7 / 12)
    by_question = quality.question_figures(db.session, club.id, start, end)
    assert [q.question for q in by_question] == list(quality.DEFAULT_QUESTIONS)
    assert by_question[0].average == pytest.approx(4)
    assert quality.comments(db.session, club.id, start, end) == ["Dziękuję.", "Wszystko w porządku."]
    # Another quarter holds none of them.
    assert quality.service_figures(db.session, *quality.quarter_range(2026, 1)) == []


def test_survey_summary_for_the_reports(club, answer, make_service):
    other = make_service("Akademia Zdrowia")
    answer(club, [5, 5], day=date(2026, 1, 2))
    answer(club, [3, 3], day=date(2026, 3, 31))
    answer(club, [1], day=date(2026, 4, 1))
    answer(other, [4], day=date(2026, 2, 1))
    summary = quality.survey_summary(db.session, date(2026, 1, 1), date(2026, 3, 31))
    assert [(s.service_name, s.answers, s.average) for s in summary] == [
        ("Akademia Zdrowia", 1, 4.0), ("Klub Seniora w Burzcu", 2, 4.0)]
    assert quality.survey_summary(db.session, date(2025, 1, 1), date(2025, 12, 31)) == []


def test_quarters():
    assert quality.quarter_range(2026, 1) == (date(2026, 1, 1), date(2026, 3, 31))
    assert quality.quarter_range(2026, 4) == (date(2026, 10, 1), date(2026, 12, 31))
    assert quality.quarter_of(date(2026, 7, 1)) == (2026, 3)
