"""The reports' pages: the index, and each report registered with its
exports (exports.register_report). Other report modules register their own."""
from flask import render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..auth.access import role_required
from ..extensions import db
from . import bp, counting, periods, services_report
from .access import FULL_ROLES, REPORT_ROLES
from .exports import register_report
from .periods import quarter_label
from .tables import Column, Row, Table


@bp.get("/")
@role_required(*REPORT_ROLES)
def index():
    return render_template("reports/index.html", full_roles=FULL_ROLES)


def quarterly_table(period):
    quarters = period.quarters()
    granted = counting.services_granted(db.session, quarters)
    concluded = counting.plans_concluded(db.session, quarters)
    columns = [Column(quarter_label(number)) for number in range(1, 5)] + [Column(_("razem"), chart=False)]
    return Table(
        key="kwartalny", title=_("Przyznane usługi i zawarte IPUS"), label_header=_("wskaźnik"), columns=columns,
        rows=[Row(_("Przyznane usługi"), [*granted, sum(granted)]),
              Row(_("Zawarte IPUS"), [*concluded, sum(concluded)])],
        chart_title=_("Przyznane usługi i zawarte IPUS w kwartałach"),
        notes=[_("Usługa przyznana to jedna usługa dla jednej osoby: pozycja planu liczy się w dniu podpisania "
                 "wersji planu, która ją wprowadziła, usługa przyznana bez planu — w dniu przyznania. "
                 "IPUS zawarty to plan, którego pierwotna wersja została podpisana w kwartale; aktualizacje "
                 "się nie liczą. Liczby obejmują dane historyczne zaimportowane do portalu.")])


register_report("quarterly", "/quarterly", quarterly_table, kinds=(periods.YEAR,),
                title=_l("Raport kwartalny"),
                intro=_l("Przyznane usługi i zawarte indywidualne plany usług społecznych w każdym kwartale roku "
                         "i łącznie."))


register_report("services", "/services", lambda period: services_report.services_table(db.session, period),
                title=_l("Usługi w okresie"),
                intro=_l("Dla każdej usługi: komu ją przyznano, kto z niej korzystał, ile zrealizowano, ile osób "
                         "zgłosiło poprawę i jak usługę oceniono w ankietach."))

register_report("matrix", "/matrix", lambda period: services_report.matrix_table(db.session, period),
                kinds=(periods.YEAR, periods.HALF, periods.QUARTER),
                title=_l("Usługi w miesiącach"),
                intro=_l("Która usługa działała w którym miesiącu: liczba zajęć grupowych, które się odbyły, "
                         "i realizacji."))
