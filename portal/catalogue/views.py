"""Public catalogue pages: no login, no personal data."""
import logging

from flask import abort, render_template, request
from flask_babel import get_locale
from flask_limiter.util import get_remote_address
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import selectinload

from ..core.pagination import page_number
from ..extensions import db
from ..text import polish_order
from ..timeutil import WARSAW, now
from ..web import is_region, render, render_html
from . import bp, pages, statistics
from .models import ACCESSIBILITY, PROVIDER_TYPES, Place, Provider, Service
from .presenters import card_for, card_for_doc, card_labels, centre_contact, detail_for
from .search import Filters, clean_query, get_index, search
from .situations import no_result_signposts, published_situation, situation_services, start_signposts

log = logging.getLogger(__name__)

PER_PAGE = 20


def _choice(value, allowed):
    """An unknown facet value is ignored, not an error."""
    value = (value or "").strip()[:60]
    return value if value in allowed else None


def read_filters(args, lookups):
    access = tuple(v for v in args.getlist("access")[:len(ACCESSIBILITY)] if v in ACCESSIBILITY)
    return Filters(
        area=_choice(args.get("area"), lookups["areas"]),
        group=_choice(args.get("group"), lookups["groups"]),
        village=_choice(args.get("village"), lookups["villages"]),
        provider_type=_choice(args.get("ptype"), PROVIDER_TYPES),
        accessibility=access,
        free=args.get("free") == "1",
        open_now=args.get("open") == "1",
    )


def _rendered(index, template, context, moment, **extra):
    """A region rendered once a minute per query and language, kept until the
    index is rebuilt: the cards say "open now" and the next session, which
    change by the minute. Neither region holds anything per user."""
    key = (template, str(get_locale()), request.query_string, moment.replace(second=0, microsecond=0))
    return index.fragments.get(None, key, lambda: render_template(
        template, **context, **{name: make() for name, make in extra.items()}))


def _write_search_counts(moment):
    """This process's batch of search counts (statistics.py); a database
    that refuses it costs the batch, never the search."""
    try:
        statistics.flush(db.session, moment=moment)
        db.session.commit()
    except SQLAlchemyError as error:
        db.session.rollback()
        log.warning("search counts not written: %s", type(error).__name__)


@bp.route("/")
@bp.route("/services")
def index():
    search_index = get_index(db.session)
    lookups = search_index.lookups
    query = clean_query(request.args.get("q"))
    filters = read_filters(request.args, lookups)
    moment = now()
    result = search(db.session, query, filters, moment=moment,
                    page=page_number(request.args.get("page")), per_page=PER_PAGE)
    if query and statistics.count_search(db.session, query, miss=result.is_miss, results=result.total,
                                         client=get_remote_address(), moment=moment):
        _write_search_counts(moment)
    context = dict(query=query, filters=filters, result=result, lookups=lookups,
                   accessibility=ACCESSIBILITY, provider_types=PROVIDER_TYPES)
    results_html = _rendered(search_index, "catalogue/_results.html", context, moment,
                             cards=lambda: [card_for_doc(doc, moment) for doc in result.docs],
                             card_labels=card_labels,
                             signposts=lambda: _signposts(search_index, query, filters, result, moment),
                             centre=centre_contact)
    if is_region("results"):
        return render_html(results_html)
    form_html = _rendered(search_index, "catalogue/_search_form.html", context, moment)
    return render("catalogue/index.html", results_html=results_html, form_html=form_html, **context)


def _signposts(search_index, query, filters, result, moment):
    """The life situations on the start page (no query, no filter, first
    page); the closest areas and the situations when nothing was found."""
    today = moment.astimezone(WARSAW).date()
    if result.total == 0:
        return no_result_signposts(db.session, search_index, query, today)
    if not query and not filters.active() and result.page == 1:
        return start_signposts(db.session, today)
    return None


@bp.route("/services/<slug>")
def service_detail(slug):
    page = pages.service_page(db.session, slug, now())
    if page is None:
        abort(404)
    name, content_html = page
    # The frame's texts come bound to the catalogue once per render (i18n's context processor).
    return render_template("catalogue/service.html", name=name, content_html=content_html)


@bp.route("/services/<slug>/print")
def service_print(slug):
    moment = now()
    service = pages.public_service(db.session, slug, moment)
    if service is None:
        abort(404)
    return render_template("catalogue/service_print.html", service=service, info=detail_for(service, moment))


@bp.route("/providers/<slug>")
def provider_detail(slug):
    provider = db.session.scalar(select(Provider).where(Provider.slug == slug[:120]))
    if provider is None or provider.status == "archived":
        abort(404)
    services = db.session.scalars(
        select(Service).where(Service.provider_id == provider.id, Service.status != "archived")
        .options(selectinload(Service.provider), selectinload(Service.target_groups),
                 selectinload(Service.places).selectinload(Place.village),
                 selectinload(Service.schedule_rules), selectinload(Service.closures))
        .order_by(polish_order(Service.name))
    ).all()
    moment = now()
    return render_template("catalogue/provider.html", provider=provider, card_labels=card_labels(),
                           cards=[card_for(s, moment) for s in services])


@bp.route("/situations/<slug>")
def situation(slug):
    found = published_situation(db.session, slug)
    if found is None:
        abort(404)
    moment = now()
    services = situation_services(db.session, found, moment.astimezone(WARSAW).date())
    return render_template("catalogue/situation.html", situation=found, card_labels=card_labels(),
                           cards=[card_for(s, moment) for s in services], centre=centre_contact())
