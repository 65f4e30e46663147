"""The indicators, providers, front desk and catalogue use reports' pages
(each with its CSV, XLSX and PDF through exports.register_report), and the
form where the services organiser enters an indicator's value with its
evidence. Counts only: no page or file here names a person."""
import os
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from flask import current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import widgets

from ..audit.services import record
from ..auth.access import role_required
from ..catalogue.models import Indicator, Service
from ..core.errors import DataError
from ..core.forms import (
    ChoiceField,
    IntegerInputField,
    ParsedField,
    Required,
    TextBlockField,
    TextField,
    choices,
    max_length,
)
from ..core.views import commit, field_error, found, saved
from ..desk.models import CHANNELS, KINDS
from ..extensions import db
from ..i18n import format_date_numeric, format_money, format_month
from ..plans.scans import MAX_SCAN_BYTES, allow_scan_upload, commit_with_scan, scan_dir, scan_response
from ..timeutil import local_now
from . import bp, indicators
from .access import COMMUNITY_ROLES, FULL_ROLES
from .catalogue_use import catalogue_use
from .desk_report import desk_report
from .exports import register_report
from .indicators_models import IndicatorValue
from .periods import form_values, parse_period, part_choices
from .providers_report import providers_report
from .tables import Column, Row, Table, number_text


@dataclass
class ReportTable(Table):
    """A Table with what the page shows besides it (never in the files)."""

    extra: dict = field(default_factory=dict)


def _today():
    return local_now().date()


# --- indicators ------------------------------------------------------------------------------------

def indicators_table(period):
    found_ = indicators.service_indicators(db.session, period.start, period.end)
    centre = {figure.code: figure for figure in indicators.centre_indicators(db.session, period.start, period.end)}
    rows = [Row(f"{figure.service_name}: {figure.name} ({figure.unit})",
                [figure.target, figure.actual, figure.percent, None]) for figure in found_]
    users, services, satisfaction = centre["new_users"], centre["new_services"], centre["satisfaction"]
    rows += [Row(str(users.label), [users.target, users.value, users.percent, None]),
             Row(str(services.label), [services.target, services.value, services.percent, None]),
             Row(str(satisfaction.label), [satisfaction.target, None, satisfaction.percent, satisfaction.value])]
    answers = satisfaction.detail["answers"]
    notes = [
        _("Wartości usług liczone przez portal pochodzą z rejestru realizacji (obecności, wpisy, konsultacje); "
          "pozostałe wpisuje organizator usług z dokumentem potwierdzającym. Godziny zaokrąglone do pełnych."),
        _("Nowi użytkownicy to osoby, którym w okresie po raz pierwszy podpisano plan lub przyznano usługę, "
          "oraz sprawy z danych historycznych, których pierwszy wpis przypada na okres.")
        + " " + ngettext("W tym %(num)s sprawa z danych historycznych.",
                         "W tym %(num)s sprawy z danych historycznych.", users.detail["history"]),
        ngettext("Średnia ocena z %(num)s ankiety satysfakcji.", "Średnia ocena z %(num)s ankiet satysfakcji.",
                 answers),
    ]
    return ReportTable(
        key="wskazniki", title=_("Wskaźniki"), label_header=_("wskaźnik usługi lub centrum"),
        columns=[Column(_("wartość docelowa")), Column(_("wartość osiągnięta")),
                 Column(_("% wartości docelowej"), chart=False), Column(_("średnia ocena (1–5)"), 2, chart=False)],
        rows=rows, notes=notes, chart_title=_("Wartości docelowe i osiągnięte"),
        extra={"figures": found_, "centre": list(centre.values())})


register_report("indicators", "/indicators", indicators_table, title=_l("Wskaźniki"),
                template="reports/indicators.html",
                intro=_l("Wskaźniki usług z katalogu z wartością osiągniętą w okresie, na tle wartości docelowej, "
                         "oraz wskaźniki całego centrum."))


# --- providers -------------------------------------------------------------------------------------

def providers_table(period):
    report = providers_report(db.session, period.start, period.end)
    minimum = number_text(report.minimum, 0 if report.minimum == report.minimum.to_integral() else 1)
    notes = [_("Organizacje pozarządowe i podmioty ekonomii społecznej: stowarzyszenia, fundacje, podmioty "
               "ekonomii społecznej i podmioty kościelne. Usługa liczy się dla realizatora, który ją wykonał; "
               "jednostki w tabeli zaokrąglone do całości, udział liczony z dokładnych wartości.")]
    value = next(row for row in report.shares if row.code == "value")
    notes.append(_("Wartość umów: umowy obowiązujące choćby jeden dzień okresu, według kwoty po ostatnim aneksie; "
                   "NGO i PES %(ngo)s z %(total)s.", ngo=format_money(value.ngo), total=format_money(value.total)))
    for row in report.shares:
        if row.percent is None:
            notes.append(_("%(measure)s: brak danych w okresie.", measure=row.label))
        elif row.met:
            notes.append(_("%(measure)s: udział %(share)s%% — co najmniej wymagane %(minimum)s%%.",
                           measure=row.label, share=number_text(row.percent, 1), minimum=minimum))
        else:
            notes.append(_("%(measure)s: udział %(share)s%% — poniżej wymaganych %(minimum)s%%.",
                           measure=row.label, share=number_text(row.percent, 1), minimum=minimum))
    return ReportTable(
        key="realizatorzy", title=_("Udział organizacji pozarządowych i podmiotów ekonomii społecznej"),
        label_header=_("miara"),
        columns=[Column(_("NGO i PES")), Column(_("pozostali realizatorzy")), Column(_("łącznie"), chart=False),
                 Column(_("udział NGO i PES (%)"), 1, chart=False), Column(_("wymagane minimum (%)"), 1, chart=False)],
        rows=[Row(str(row.label), [row.ngo, row.others, row.total, row.percent, report.minimum])
              for row in report.shares],
        notes=notes, chart_title=_("NGO i PES na tle pozostałych realizatorów"), extra={"report": report})


register_report("providers", "/providers", providers_table, title=_l("Realizatorzy usług"),
                template="reports/providers.html",
                intro=_l("Udział organizacji pozarządowych i podmiotów ekonomii społecznej w usługach, osobach "
                         "obsłużonych i zrealizowanych jednostkach, na tle wymaganego minimum."))


# --- front desk and deadlines ------------------------------------------------------------------------

def desk_table(period):
    today = _today()
    report = desk_report(db.session, period.start, period.end, today)
    columns = ([Column(str(label), chart=False) for label in CHANNELS.values()]
               + [Column(str(label), chart=False) for label in KINDS.values()] + [Column(_("łącznie"))])

    def values(month=None):
        return ([report.count(channel=code, month=month) for code in CHANNELS]
                + [report.count(kind=code, month=month) for code in KINDS] + [report.count(month=month)])

    timing = report.timing
    notes = [
        _("Zgłoszenie liczy się w miesiącu, w którym wpłynęło (czas polski)."),
        ngettext("W okresie sporządzono %(num)s plan.", "W okresie sporządzono %(num)s plany.", timing.plans)
        + " " + ngettext("%(num)s w ciągu 30 dni od zgłoszenia", "%(num)s w ciągu 30 dni od zgłoszenia",
                         timing.within)
        + (f" ({number_text(timing.within_percent, 1)}%)" if timing.within_percent is not None else "") + "; "
        + ngettext("%(num)s po terminie.", "%(num)s po terminie.", timing.late),
        _("Dni od zgłoszenia do planu: mediana %(median)s, średnia %(mean)s.",
          median=number_text(timing.median_days, 1), mean=number_text(timing.mean_days, 1)),
        ngettext("Kontakty monitorujące pominięte w okresie: %(num)s (termin minął bez kontaktu).",
                 "Kontakty monitorujące pominięte w okresie: %(num)s (terminy minęły bez kontaktu).",
                 report.missed_in_period),
        _("Stan na %(day)s:", day=format_date_numeric(today)) + " "
        + ngettext("%(num)s sprawa bez planu po 30 dniach", "%(num)s spraw bez planu po 30 dniach",
                   report.overdue_plans) + "; "
        + ngettext("%(num)s zaległy kontakt monitorujący.", "%(num)s zaległych kontaktów monitorujących.",
                   report.missed_contacts),
    ]
    return ReportTable(
        key="zgloszenia", title=_("Zgłoszenia według kanału, rodzaju i miesiąca"), label_header=_("miesiąc"),
        columns=columns,
        rows=[Row(format_month(date(year, month, 1)), values((year, month))) for year, month in report.months],
        totals=Row(_("łącznie"), values()), notes=notes, chart_title=_("Zgłoszenia w miesiącach"),
        extra={"report": report})


register_report("desk", "/desk", desk_table, title=_l("Zgłoszenia i terminy"), template="reports/desk.html",
                intro=_l("Zgłoszenia w jednym okienku według kanału, rodzaju i miesiąca; czas od zgłoszenia do "
                         "planu, plany sporządzone w ciągu 30 dni, zaległe plany i kontakty monitorujące."))


# --- catalogue use ------------------------------------------------------------------------------------

def catalogue_use_table(period):
    use = catalogue_use(db.session, period.start, period.end)
    texts = {t.text: t for t in use.most_searched}
    for t in use.no_result:
        texts.setdefault(t.text, t)
    ordered = sorted(texts.values(), key=lambda t: (-t.searches, -t.misses))
    notes = [_("Wyszukiwania liczone są bez danych osób: tylko słowa mogące nazywać usługę, bez nazwisk "
               "z rejestru. Statystyki wyszukiwań przechowywane są przez 12 miesięcy."),
             _("Portal nie liczy wyświetleń stron usług; o zainteresowaniu usługami mówią zgłoszenia, "
               "w których je wskazano.")]
    for service in use.requested:
        notes.append(ngettext("Usługa wskazana w zgłoszeniach: %(name)s — %(num)s zgłoszenie.",
                              "Usługa wskazana w zgłoszeniach: %(name)s — %(num)s zgłoszeń.",
                              service.requests, name=service.name))
    return ReportTable(
        key="katalog", title=_("Najczęściej wyszukiwane słowa"), label_header=_("wyszukiwane słowa"),
        columns=[Column(_("wyszukiwania")), Column(_("bez wyniku"))],
        rows=[Row(t.text, [t.searches, t.misses]) for t in ordered],
        totals=Row(_("wszystkie wyszukiwania"), [use.searches, use.misses]) if use.searches else None,
        notes=notes, chart_title=_("Wyszukiwania i wyszukiwania bez wyniku"),
        empty=_("W tym okresie nikt nie szukał w katalogu."), extra={"use": use})


register_report("catalogue_use", "/catalogue-use", catalogue_use_table, roles=COMMUNITY_ROLES,
                title=_l("Korzystanie z katalogu"), template="reports/catalogue_use.html",
                intro=_l("Najczęściej wyszukiwane słowa, wyszukiwania bez wyniku i usługi wskazywane "
                         "w zgłoszeniach."),
                kept=False)  # the search counters change on every search: never kept


# --- entering an indicator's value -------------------------------------------------------------------------

class NumberField(ParsedField):
    """A number with a decimal comma ('12', '12,5', '1 250')."""

    widget = widgets.TextInput()

    def format_value(self, value):
        return number_text(value, 0 if value == value.to_integral() else 2).replace("\u00a0", " ")

    def parse(self, text):
        cleaned = text.replace("\u00a0", "").replace(" ", "").replace(",", ".")
        try:
            value = Decimal(cleaned)
        except InvalidOperation:
            raise ValueError(_("Podaj liczbę, np. 12 albo 12,5.")) from None
        if not value.is_finite() or value.as_tuple().exponent < -2:
            raise ValueError(_("Podaj liczbę z najwyżej dwoma miejscami po przecinku."))
        return value


class IndicatorValueForm(FlaskForm):
    measure = ChoiceField(_l("Jak ustalana jest wartość"), choices=choices(indicators.MEASURES),
                          validators=[Required(_l("Wybierz, jak ustalana jest wartość wskaźnika."))])
    value = NumberField(_l("Wartość osiągnięta w okresie"))
    evidence = TextField(_l("Dokument potwierdzający"), validators=[max_length(300)])
    note = TextBlockField(_l("Uwagi (opcjonalnie)"), validators=[max_length(2000)])
    evidence_scan = FileField(_l("Skan dokumentu potwierdzającego (opcjonalnie; PDF, JPEG, PNG albo TIFF, "
                                 "najwyżej 10 MB)"))

    def to_data(self):
        return {"measure": self.measure.data, "value": self.value.data, "evidence": self.evidence.data,
                "note": self.note.data}


def _value_page(form, indicator, period, status=200, period_error=None):
    figure = None
    if period is not None:
        figure = next((f for f in indicators.service_indicators(db.session, period.start, period.end)
                       if f.indicator_id == indicator.id), None)
    return render_template("reports/indicators_value.html", form=form, indicator=indicator, period=period,
                           service=db.session.get(Service, indicator.service_id),
                           figure=figure, period_error=period_error, number_text=number_text,
                           values=form_values(request.args, period), parts=part_choices()), status


@bp.route("/indicators/<int:indicator_id>/value", methods=["GET", "POST"])
@role_required(*FULL_ROLES)
def indicator_value(indicator_id):
    indicator = found(db.session.get(Indicator, indicator_id))
    try:
        period = parse_period(request.args, default_year=local_now().year)
    except DataError as error:
        return _value_page(IndicatorValueForm(formdata=None), indicator, None, 422, period_error=error.message)
    if request.method == "GET":
        form = IndicatorValueForm(formdata=None)
        figure = next((f for f in indicators.service_indicators(db.session, period.start, period.end)
                       if f.indicator_id == indicator.id), None)
        if figure is not None:
            form.measure.data = figure.measure
            if figure.entered is not None:
                form.value.data, form.evidence.data = figure.entered.value, figure.entered.evidence
                form.note.data = figure.entered.note
        if not form.evidence.data and figure is not None and figure.measure == "entered":
            form.evidence.data = indicator.evidence
        return _value_page(form, indicator, period)
    form = IndicatorValueForm()
    if not form.validate():
        return _value_page(form, indicator, period, 422)
    upload = request.files.get("evidence_scan")
    data = upload.read(MAX_SCAN_BYTES + 1) if upload and upload.filename else None
    directory = evidence_dir()

    def change():
        value = indicators.save_value(db.session, indicator, period.start, period.end, form.to_data(),
                                      actor=current_user)
        if data is None:
            return None, None
        if form.measure.data != "entered":
            raise DataError("evidence_scan", _l("Skan dołącza się tylko do wartości wpisywanej."))
        return indicators.attach_evidence(db.session, value, data, actor=current_user, directory=directory)

    def invalid(error):
        field_error(form, error, fallback="value")
        return _value_page(form, indicator, period, 422)

    answer = commit_with_scan(change, directory, {DataError: invalid})
    if answer is not None:
        return answer
    return saved(url_for(".indicators", **period.args()),
                 _("Zapisano wartość wskaźnika „%(name)s”.", name=indicator.name))


def evidence_dir():
    return current_app.config.get("INDICATOR_EVIDENCE_DIR") or os.path.join(scan_dir(current_app.instance_path),
                                                                            "indicators")


allow_scan_upload(bp, "reports.indicator_value")


@bp.route("/indicators/values/<int:value_id>/evidence")
@role_required(*FULL_ROLES)
def indicator_evidence(value_id):
    value = found(db.session.get(IndicatorValue, value_id))
    return scan_response(evidence_dir(), value.evidence_file, f"wskaznik-{value.indicator_id}-dowod",
                         lambda: record("indicator_evidence_opened", value, actor=current_user, session=db.session,
                                        summary="scan of an indicator's evidence opened"))


# --- a centre-wide indicator's target for a year ----------------------------------------------------------

class CentreTargetForm(FlaskForm):
    target = IntegerInputField(_l("Wartość docelowa na rok"))


def _target_page(form, code, year, status=200):
    return render_template("reports/indicators_target.html", form=form, code=code, year=year,
                           label=indicators.CENTRE[code], limit=indicators.CENTRE_LIMITS[code],
                           number_text=number_text), status


@bp.route("/indicators/centre/<indicator_code>/target", methods=["GET", "POST"])
@role_required(*FULL_ROLES)
def centre_target(indicator_code):
    code = indicator_code
    if code not in indicators.CENTRE:
        found(None)
    try:
        year = parse_period({"year": request.args.get("year", "")}, default_year=local_now().year).year
    except DataError:
        year = local_now().year
    if request.method == "GET":
        form = CentreTargetForm(formdata=None)
        form.target.data = indicators.centre_targets(db.session, year).get(code)
        return _target_page(form, code, year)
    form = CentreTargetForm()
    if not form.validate():
        return _target_page(form, code, year, 422)
    return commit(
        lambda: indicators.save_centre_target(db.session, code, year, form.target.data, actor=current_user),
        form=form,
        invalid=lambda error: _target_page(form, code, year),
        done=lambda _result: saved(url_for(".indicators", year=year),
                                   _("Zapisano wartość docelową wskaźnika „%(name)s” na rok %(year)s.",
                                     name=indicators.CENTRE[code], year=year)))
