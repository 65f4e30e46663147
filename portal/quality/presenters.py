"""What the quality pages show in words: quarters, means and shares in
Polish number format, counts with their nouns."""
from flask_babel import format_decimal, format_percent, gettext, ngettext

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def quarter_label(year, quarter):
    return gettext("%(quarter)s kwartał %(year)s", quarter=ROMAN[quarter], year=year)


def average_text(value):
    """A mean score with one decimal: "4,3"; a dash when there is none."""
    return "—" if value is None else format_decimal(round(value, 1), format="0.0")


def share_text(value):
    """A share as a whole percent: "75%"."""
    return "—" if value is None else format_percent(value, format="0%")


def answers_text(count):
    return ngettext("%(num)s odpowiedź", "%(num)s odpowiedzi", count)


def question_text(text):
    """A question in the reader's language: the default questions are
    translated, a service's own ones are shown as the organiser wrote them."""
    return gettext(text)


def share_sentence(share):
    """"Standardy przyjęte przez 3 z 4 realizatorów (75%)"."""
    return ngettext("Standardy przyjęte przez %(accepted)s z %(num)s realizatora (%(share)s)",
                    "Standardy przyjęte przez %(accepted)s z %(num)s realizatorów (%(share)s)",
                    share.providers, accepted=share.accepted, share=share_text(share.share))


FILTERS = {"quarter_label": quarter_label, "average_text": average_text, "share_text": share_text,
           "answers_text": answers_text, "question_text": question_text}
