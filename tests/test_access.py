"""The role × route table: every route, anonymous and each role.

A new route fails `test_every_route_is_in_the_table` until it is added here
with who may use it, so no page is left open by accident."""
import pytest

from portal.auth.models import Role

PUBLIC = "public"
STAFF = "staff"  # any logged-in role
ORGANISER = {Role.SERVICES_ORGANISER, Role.ADMIN}
CASEWORK = {Role.FRONT_DESK, Role.COORDINATOR, Role.DIRECTOR}  # people's data, by need
DESK = {Role.FRONT_DESK, Role.DIRECTOR}
PLAN_VIEWERS = {Role.COORDINATOR, Role.DIRECTOR, Role.SERVICES_ORGANISER}
PLAN_APPROVERS = {Role.DIRECTOR, Role.SERVICES_ORGANISER}
KIOSK_EDITORS = {Role.COMMUNITY_ORGANISER, Role.ADMIN}
KIOSK_VIEWERS = {Role.COMMUNITY_ORGANISER, Role.ADMIN, Role.DIRECTOR}
EVENT_STAFF = {Role.COMMUNITY_ORGANISER, Role.DIRECTOR, Role.ADMIN}
SESSION_VIEWERS = {Role.SERVICES_ORGANISER, Role.DIRECTOR, Role.PROVIDER}
SESSION_EDITORS = {Role.SERVICES_ORGANISER, Role.PROVIDER}
COMPLAINT_STAFF = {Role.FRONT_DESK, Role.COORDINATOR, Role.SERVICES_ORGANISER, Role.COMMUNITY_ORGANISER,
                   Role.DIRECTOR}
COMPLAINT_WORKERS = {Role.COORDINATOR, Role.DIRECTOR}
QUALITY = {Role.SERVICES_ORGANISER, Role.DIRECTOR}
CONTRACT_KEEPERS = {Role.SERVICES_ORGANISER, Role.DIRECTOR}
APPLICATION_READERS = {Role.SERVICES_ORGANISER, Role.ADMIN, Role.DIRECTOR}
SURVEY_ENTRY = {Role.FRONT_DESK, Role.COORDINATOR, Role.SERVICES_ORGANISER, Role.DIRECTOR}

# Addresses that only lead on to a page: allowed roles get a redirect.
REDIRECTS = {"main.dashboard_slash", "manage.index"}

# Routes of a record some roles let in may not see: they get 404, as for a
# record that does not exist (endpoint -> those roles). The fixture's complaint
# is about a service, registered by the test front desk and assigned to the
# test coordinator: the front desk no longer sees it, the community organiser
# never did; the services organiser reads it (403 on the handler's pages).
HIDDEN = {endpoint: {Role.FRONT_DESK, Role.COMMUNITY_ORGANISER} for endpoint in (
    "complaints.detail", "complaints.edit", "complaints.extend", "complaints.answer", "complaints.close",
    "complaints.action_new", "complaints.action_done", "complaints.letter")}
# A provider's account (issue 15 §1) reaches only its own organisation: the
# fixture's service, session and person belong to another provider, so the
# test provider gets 404 for them (tests/providers/ walks its own ones).
HIDDEN.update({endpoint: {Role.PROVIDER} for endpoint in (
    "sessions.service", "sessions.plan", "sessions.new", "sessions.edit", "sessions.detail", "sessions.attendance",
    "sessions.held", "sessions.cancel", "sessions.attendance_pdf", "sessions.scan_upload", "sessions.scan",
    "deliveries.person", "deliveries.entry_delete", "providers.assure")})
# The fixture's service belongs to another organisation than the test provider
# account's: proposing a change to it is a 404, as for a service that does not exist.
HIDDEN["proposals.change"] = {Role.PROVIDER}

# endpoint -> who may use it
TABLE = {
    "catalogue.index": PUBLIC,
    "catalogue.service_detail": PUBLIC,
    "catalogue.service_print": PUBLIC,
    "catalogue.provider_detail": PUBLIC,
    "catalogue.situation": PUBLIC,
    "main.healthz": PUBLIC,
    "main.set_language": PUBLIC,
    "auth.login": PUBLIC,
    "auth.logout": STAFF,
    "main.dashboard": STAFF,
    "main.dashboard_slash": STAFF,
    "manage.index": ORGANISER,
    "manage.services": ORGANISER,
    "manage.service_new": ORGANISER,
    "manage.service_edit": ORGANISER,
    "manage.service_history": ORGANISER,
    "manage.service_status": ORGANISER,
    "manage.providers": ORGANISER,
    "manage.provider_new": ORGANISER,
    "manage.provider_edit": ORGANISER,
    "manage.provider_history": ORGANISER,
    "manage.provider_status": ORGANISER,
    "manage.places": ORGANISER,
    "manage.place_new": ORGANISER,
    "manage.place_edit": ORGANISER,
    "manage.villages": ORGANISER,
    "manage.village_rename": ORGANISER,
    "manage.synonyms": ORGANISER,
    "manage.synonym_edit": ORGANISER,
    "manage.synonym_delete": ORGANISER,
    "manage.search_statistics": ORGANISER,
    "manage.search_miss_synonym": ORGANISER,
    "manage.search_miss_dismiss": ORGANISER,
    "manage.import_services": ORGANISER,
    "manage.import_confirm": ORGANISER,
    "manage.import_template": ORGANISER,
    "manage.situations": ORGANISER,
    "manage.situation_new": ORGANISER,
    "manage.situation_edit": ORGANISER,
    "manage.situation_move": ORGANISER,
    "manage.situation_delete": ORGANISER,
    "desk.contact": PUBLIC,
    "desk.contact_thanks": PUBLIC,
    "desk.board": CASEWORK,
    "desk.new_request": CASEWORK,
    "desk.handout": CASEWORK,
    "desk.search_requests": CASEWORK,
    # The fixture's request is assigned to the test coordinator.
    "desk.request_detail": CASEWORK,
    "desk.request_receipt": CASEWORK,
    "desk.request_status": CASEWORK,
    "desk.handout_email": CASEWORK,
    "desk.request_assign": DESK,
    "residents.index": CASEWORK,
    "residents.find_pesel": CASEWORK,
    "residents.new": DESK,
    # The fixture's person has a request assigned to the test coordinator.
    "residents.detail": CASEWORK,
    "residents.edit": CASEWORK,
    "residents.consent": CASEWORK,
    "residents.information_clause": CASEWORK,
    "residents.access_report": {Role.DIRECTOR},
    "residents.merge": {Role.DIRECTOR},
    # The kiosk: the screen's own URLs carry its secret token instead of a login.
    "kiosk.screen": PUBLIC,
    "kiosk.version": PUBLIC,
    "kiosk.slides": PUBLIC,
    "kiosk.heartbeat": PUBLIC,
    "kiosk.screens": KIOSK_VIEWERS,
    "kiosk.screen_new": KIOSK_EDITORS,
    "kiosk.screen_edit": KIOSK_EDITORS,
    "kiosk.screen_token": KIOSK_EDITORS,
    "kiosk.screen_preview": KIOSK_VIEWERS,
    "kiosk.health": KIOSK_VIEWERS,
    # Events: public calendar, feeds and images; the organiser's pages.
    "events.index": PUBLIC,
    "events.detail": PUBLIC,
    "events.feed": PUBLIC,
    "events.audience_feed": PUBLIC,
    "events.event_feed": PUBLIC,
    "events.image": PUBLIC,
    "events.manage": EVENT_STAFF,
    "events.new": EVENT_STAFF,
    "events.edit": EVENT_STAFF,
    "events.status": EVENT_STAFF,
    "events.duplicate": EVENT_STAFF,
    "events.notices": EVENT_STAFF,
    "events.notice_end": EVENT_STAFF,
    # The needs assessment: the fixture's assessment is on the request assigned
    # to the test coordinator; the director reads, only the coordinator writes.
    "assessment.index": {Role.COORDINATOR, Role.DIRECTOR},
    "assessment.start": {Role.COORDINATOR},
    "assessment.detail": {Role.COORDINATOR, Role.DIRECTOR},
    "assessment.edit": {Role.COORDINATOR},
    "assessment.sensitive": {Role.COORDINATOR, Role.DIRECTOR},
    "assessment.sensitive_edit": {Role.COORDINATOR},
    "assessment.pdf": {Role.COORDINATOR, Role.DIRECTOR},
    # Plans: the fixture's plan is signed (version 0) with an update drafted,
    # on the request of the test coordinator; the test organiser holds the
    # director's authorisation, which shows a plan only while a version of it
    # waits for the decision — so not this one (tests/plans/test_approver_scope.py).
    "plans.index": {Role.COORDINATOR, Role.DIRECTOR},
    "plans.new": {Role.COORDINATOR, Role.DIRECTOR},
    "plans.edit": {Role.COORDINATOR, Role.DIRECTOR},
    "plans.detail": {Role.COORDINATOR, Role.DIRECTOR},
    "plans.version_detail": {Role.COORDINATOR, Role.DIRECTOR},
    "plans.version_pdf": {Role.COORDINATOR, Role.DIRECTOR},
    "plans.submit": {Role.COORDINATOR, Role.DIRECTOR},
    "plans.cancel": {Role.COORDINATOR, Role.DIRECTOR},
    "plans.start_update": {Role.COORDINATOR, Role.DIRECTOR},
    "plans.approve": PLAN_APPROVERS,
    "plans.send_back": PLAN_APPROVERS,
    "plans.approvals": PLAN_APPROVERS,
    "plans.sign": {Role.COORDINATOR, Role.DIRECTOR},
    "plans.signature_scan": {Role.COORDINATOR, Role.DIRECTOR},
    "plans.delegations": {Role.DIRECTOR},
    "plans.delegation_revoke": {Role.DIRECTOR},
    "plans.grant_new": {Role.COORDINATOR, Role.DIRECTOR},
    "plans.grants": {Role.COORDINATOR, Role.DIRECTOR},
    "plans.grant_cancel": {Role.COORDINATOR, Role.DIRECTOR},
    "plans.waiting": PLAN_VIEWERS,
    "plans.waiting_add": {Role.COORDINATOR, Role.DIRECTOR},
    "plans.waiting_status": {Role.COORDINATOR, Role.DIRECTOR},
    # Casework: "my cases" for coordinators, the overview for the director;
    # the monitoring card and the closure of the fixture's plan (signed, with
    # an update drafted, of the test coordinator's request).
    "usage.index": {Role.SERVICES_ORGANISER, Role.DIRECTOR},
    "usage.service_usage": {Role.SERVICES_ORGANISER, Role.DIRECTOR},
    "casework.mine": {Role.COORDINATOR},
    "casework.overview": {Role.DIRECTOR},
    "casework.monitoring": {Role.COORDINATOR, Role.DIRECTOR},
    "casework.monitoring_pdf": {Role.COORDINATOR, Role.DIRECTOR},
    "casework.closure": {Role.COORDINATOR, Role.DIRECTOR},
    "casework.closure_pdf": {Role.COORDINATOR, Role.DIRECTOR},
    # Individual deliveries, the monthly grid of hours, consultations (issue 13):
    # the organiser every service, the coordinator their own cases' individual
    # services (the fixture's person is theirs), the director reads. The two
    # deletes are POST only, refused by role before anything is loaded.
    "deliveries.individual": {Role.SERVICES_ORGANISER, Role.COORDINATOR, Role.DIRECTOR, Role.PROVIDER},
    "deliveries.entry_new": {Role.SERVICES_ORGANISER, Role.COORDINATOR, Role.PROVIDER},
    "deliveries.entry_delete": {Role.SERVICES_ORGANISER, Role.COORDINATOR, Role.PROVIDER},
    "deliveries.person": {Role.SERVICES_ORGANISER, Role.COORDINATOR, Role.DIRECTOR, Role.PROVIDER},
    "deliveries.grid": {Role.SERVICES_ORGANISER, Role.COORDINATOR, Role.PROVIDER},
    "deliveries.consultations": {Role.SERVICES_ORGANISER, Role.DIRECTOR},
    "deliveries.consultation_new": {Role.SERVICES_ORGANISER},
    "deliveries.consultation_delete": {Role.SERVICES_ORGANISER},
    # Accounts: the administrator's pages on the fixture's account (a live
    # session, an unused set-password link); everyone's own account; the
    # village rule; the link's page and the login's second step need no login
    # (without a pending login the second step says the login expired).
    "accounts.index": {Role.ADMIN},
    "accounts.new": {Role.ADMIN},
    "accounts.detail": {Role.ADMIN},
    "accounts.history": {Role.ADMIN},
    "accounts.disable": {Role.ADMIN},
    "accounts.enable": {Role.ADMIN},
    "accounts.reset": {Role.ADMIN},
    "accounts.end_sessions": {Role.ADMIN},
    "accounts.end_session": {Role.ADMIN},
    "accounts.totp_reset": {Role.ADMIN},
    "accounts.two_factor_roles": {Role.ADMIN},
    "accounts.villages": {Role.DIRECTOR, Role.ADMIN},
    "accounts.me": STAFF,
    "accounts.change_password": STAFF,
    "accounts.totp_setup": STAFF,
    "accounts.totp_disable": STAFF,
    "accounts.set_password": PUBLIC,
    "auth.login_2fa": PUBLIC,
    "auth.login_2fa_setup": PUBLIC,
    # Group sessions and attendance (issue 13): who uses a service is personal
    # data, so the services organiser (enters) and the director (reads) only;
    # events' head counts (no personal data) by the events' staff. The
    # fixture's session is of the Burzec club, with a scan.
    "sessions.index": SESSION_VIEWERS,
    "sessions.service": SESSION_VIEWERS,
    "sessions.plan": SESSION_EDITORS,
    "sessions.new": SESSION_EDITORS,
    "sessions.edit": SESSION_EDITORS,
    "sessions.detail": SESSION_VIEWERS,
    "sessions.attendance": SESSION_EDITORS,
    "sessions.held": SESSION_EDITORS,
    "sessions.cancel": SESSION_EDITORS,
    "sessions.attendance_pdf": SESSION_VIEWERS,
    "sessions.scan_upload": SESSION_EDITORS,
    "sessions.scan": SESSION_VIEWERS,
    "sessions.head_counts": EVENT_STAFF,
    # A provider's own pages (issue 15 §1): no provider id in the address, its own organisation only.
    "providers.profile": {Role.PROVIDER},
    "providers.services": {Role.PROVIDER},
    "providers.assure": {Role.PROVIDER},
    # A provider's accounts: the services organiser and the administrator (the fixture's provider).
    "providers.accounts_index": ORGANISER,
    "providers.account_disable": ORGANISER,
    # Complaints and requests: the fixture's complaint (HIDDEN above) has an answer and a follow-up action.
    "complaints.index": COMPLAINT_STAFF,
    # Reports (issue 14): counts only; the community organiser reads the community part.
    "reports.index": {Role.SERVICES_ORGANISER, Role.DIRECTOR, Role.COMMUNITY_ORGANISER},
    # History from before the portal (§4): the director reads the list; only the organiser imports and withdraws.
    "reports.history_list": {Role.SERVICES_ORGANISER, Role.DIRECTOR},
    "reports.history_import": {Role.SERVICES_ORGANISER},
    "reports.history_confirm": {Role.SERVICES_ORGANISER},
    "reports.history_withdraw": {Role.SERVICES_ORGANISER},
    # The yearly documents (§3): read by the director and the organiser; the director writes the narrative.
    "reports.yearly_index": {Role.SERVICES_ORGANISER, Role.DIRECTOR},
    "reports.yearly_document": {Role.SERVICES_ORGANISER, Role.DIRECTOR},
    "reports.yearly_save": {Role.DIRECTOR},
    "reports.yearly_pdf": {Role.SERVICES_ORGANISER, Role.DIRECTOR},
    "reports.yearly_docx": {Role.SERVICES_ORGANISER, Role.DIRECTOR},
    "reports.quarterly": {Role.SERVICES_ORGANISER, Role.DIRECTOR},
    "reports.quarterly_csv": {Role.SERVICES_ORGANISER, Role.DIRECTOR},
    "reports.quarterly_xlsx": {Role.SERVICES_ORGANISER, Role.DIRECTOR},
    "reports.quarterly_pdf": {Role.SERVICES_ORGANISER, Role.DIRECTOR},
    "reports.services": {Role.SERVICES_ORGANISER, Role.DIRECTOR},
    "reports.services_csv": {Role.SERVICES_ORGANISER, Role.DIRECTOR},
    "reports.services_xlsx": {Role.SERVICES_ORGANISER, Role.DIRECTOR},
    "reports.services_pdf": {Role.SERVICES_ORGANISER, Role.DIRECTOR},
    "reports.matrix": {Role.SERVICES_ORGANISER, Role.DIRECTOR},
    "reports.matrix_csv": {Role.SERVICES_ORGANISER, Role.DIRECTOR},
    "reports.matrix_xlsx": {Role.SERVICES_ORGANISER, Role.DIRECTOR},
    "reports.matrix_pdf": {Role.SERVICES_ORGANISER, Role.DIRECTOR},
    "reports.indicators": {Role.SERVICES_ORGANISER, Role.DIRECTOR},
    "reports.indicators_csv": {Role.SERVICES_ORGANISER, Role.DIRECTOR},
    "reports.indicators_xlsx": {Role.SERVICES_ORGANISER, Role.DIRECTOR},
    "reports.indicators_pdf": {Role.SERVICES_ORGANISER, Role.DIRECTOR},
    "reports.indicator_value": {Role.SERVICES_ORGANISER, Role.DIRECTOR},
    "reports.centre_target": {Role.SERVICES_ORGANISER, Role.DIRECTOR},
    "reports.indicator_evidence": {Role.SERVICES_ORGANISER, Role.DIRECTOR},
    "reports.providers": {Role.SERVICES_ORGANISER, Role.DIRECTOR},
    "reports.providers_csv": {Role.SERVICES_ORGANISER, Role.DIRECTOR},
    "reports.providers_xlsx": {Role.SERVICES_ORGANISER, Role.DIRECTOR},
    "reports.providers_pdf": {Role.SERVICES_ORGANISER, Role.DIRECTOR},
    "reports.desk": {Role.SERVICES_ORGANISER, Role.DIRECTOR},
    "reports.desk_csv": {Role.SERVICES_ORGANISER, Role.DIRECTOR},
    "reports.desk_xlsx": {Role.SERVICES_ORGANISER, Role.DIRECTOR},
    "reports.desk_pdf": {Role.SERVICES_ORGANISER, Role.DIRECTOR},
    "reports.catalogue_use": {Role.SERVICES_ORGANISER, Role.DIRECTOR, Role.COMMUNITY_ORGANISER},
    "reports.catalogue_use_csv": {Role.SERVICES_ORGANISER, Role.DIRECTOR, Role.COMMUNITY_ORGANISER},
    "reports.catalogue_use_xlsx": {Role.SERVICES_ORGANISER, Role.DIRECTOR, Role.COMMUNITY_ORGANISER},
    "reports.catalogue_use_pdf": {Role.SERVICES_ORGANISER, Role.DIRECTOR, Role.COMMUNITY_ORGANISER},
    "complaints.new": {Role.FRONT_DESK, Role.DIRECTOR},
    "complaints.detail": {Role.COORDINATOR, Role.DIRECTOR, Role.SERVICES_ORGANISER},
    "complaints.edit": COMPLAINT_WORKERS,
    "complaints.assign": {Role.DIRECTOR},
    "complaints.extend": COMPLAINT_WORKERS,
    "complaints.answer": COMPLAINT_WORKERS,
    "complaints.close": COMPLAINT_WORKERS,
    "complaints.action_new": COMPLAINT_WORKERS,
    "complaints.action_done": COMPLAINT_WORKERS,
    "complaints.letter": COMPLAINT_WORKERS,
    # Quality: the survey behind a one-time link needs no login (the fixture's
    # code is unused); results, standards and checks for the organiser and the
    # director; paper answers typed in also by the desk and the coordinators;
    # the organiser drafts a standard and sets questions, the director approves
    # (the fixture's standard is a draft).
    "quality.survey_code": PUBLIC,
    "quality.survey": PUBLIC,
    "quality.survey_thanks": PUBLIC,
    "quality.index": QUALITY,
    "quality.service_surveys": QUALITY,
    "quality.paper": SURVEY_ENTRY,
    "quality.paper_entry": SURVEY_ENTRY,
    "quality.questions": {Role.SERVICES_ORGANISER},
    "quality.slips": QUALITY,
    "quality.standards": QUALITY,
    "quality.standard": QUALITY,
    "quality.standard_draft": {Role.SERVICES_ORGANISER},
    "quality.standard_approve": {Role.DIRECTOR},
    "quality.standard_accept": QUALITY,
    "quality.checks": QUALITY,
    "quality.check_new": QUALITY,
    "quality.check_detail": QUALITY,
    "quality.check_edit": QUALITY,
    # The organiser's duties (art. 46): the organiser writes; the director and the
    # community organiser read the summaries sent to them (the fixture's is sent)
    # and confirm; the director reads every meeting, a coordinator the ones they
    # attended (the fixture's meeting had the test coordinator).
    "reports.duty_summaries": {Role.SERVICES_ORGANISER, Role.DIRECTOR, Role.COMMUNITY_ORGANISER},
    "reports.duty_summary": {Role.SERVICES_ORGANISER, Role.DIRECTOR, Role.COMMUNITY_ORGANISER},
    "reports.duty_summary_pdf": {Role.SERVICES_ORGANISER, Role.DIRECTOR, Role.COMMUNITY_ORGANISER},
    "reports.duty_summary_conclusions": {Role.SERVICES_ORGANISER},
    "reports.duty_summary_send": {Role.SERVICES_ORGANISER},
    "reports.duty_summary_read": {Role.DIRECTOR, Role.COMMUNITY_ORGANISER},
    "reports.duty_meetings": {Role.SERVICES_ORGANISER, Role.DIRECTOR, Role.COORDINATOR},
    "reports.duty_meeting": {Role.SERVICES_ORGANISER, Role.DIRECTOR, Role.COORDINATOR},
    "reports.duty_meeting_new": {Role.SERVICES_ORGANISER},
    "reports.duty_meeting_edit": {Role.SERVICES_ORGANISER},
    # Contracts with providers (issue 15 §2): the services organiser keeps them, the director reads and edits.
    "contracts.index": CONTRACT_KEEPERS,
    "contracts.new": CONTRACT_KEEPERS,
    "contracts.detail": CONTRACT_KEEPERS,
    "contracts.edit": CONTRACT_KEEPERS,
    "contracts.amendment_new": CONTRACT_KEEPERS,
    "contracts.terminate": CONTRACT_KEEPERS,
    "contracts.scan_upload": CONTRACT_KEEPERS,
    "contracts.scan": CONTRACT_KEEPERS,
    # Providers' applications (issue 15 §1): anyone sends one and corrects it through the one-time link (the
    # fixture's application waits for a correction); the organiser and the administrator review, the director reads.
    "applications.register": PUBLIC,
    "applications.thanks": PUBLIC,
    "applications.correct": PUBLIC,
    "applications.index": APPLICATION_READERS,
    "applications.detail": APPLICATION_READERS,
    "applications.ask_more": ORGANISER,
    "applications.accept": ORGANISER,
    "applications.decline": ORGANISER,
    # The open catalogue (issue 15 §3): the public JSON API and the embeddable pages.
    "api.root": PUBLIC,
    "api.openapi_description": PUBLIC,
    "api.services": PUBLIC,
    "api.service": PUBLIC,
    "api.organizations": PUBLIC,
    "api.organization": PUBLIC,
    "api.locations": PUBLIC,
    "api.location": PUBLIC,
    "api.service_at_locations": PUBLIC,
    "api.service_at_location": PUBLIC,
    "api.taxonomies": PUBLIC,
    "api.taxonomy": PUBLIC,
    "api.taxonomy_terms": PUBLIC,
    "api.taxonomy_term": PUBLIC,
    "api.events_list": PUBLIC,
    "api.export_json": PUBLIC,
    "api.export_zip": PUBLIC,
    "embed.services": PUBLIC,
    "embed.upcoming_events": PUBLIC,
    # Change proposals (issue 15 §1): the provider's own (the fixture's proposal is
    # the test provider's), reviewed by those who manage the catalogue.
    "proposals.mine": {Role.PROVIDER},
    "proposals.new": {Role.PROVIDER},
    "proposals.change": {Role.PROVIDER},
    "proposals.detail": {Role.PROVIDER},
    "proposals.revise": {Role.PROVIDER},
    "proposals.withdraw": {Role.PROVIDER},
    "proposals.queue": ORGANISER,
    "proposals.review": ORGANISER,
    "proposals.accept": ORGANISER,
    "proposals.send_back": ORGANISER,
}


def test_every_route_is_in_the_table(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint != "static"}
    assert endpoints - set(TABLE) == set(), "routes missing from the access table"
    assert set(TABLE) - endpoints == set(), "table lists routes that no longer exist"


@pytest.fixture
def objects(app, tmp_path, make_service, make_village, auth):
    from datetime import date

    from portal.catalogue.models import LifeSituation, Place, SearchCount, SynonymGroup
    from portal.desk.models import Request
    from portal.extensions import db
    from portal.residents.models import Resident

    village = make_village("Burzec")
    place = Place(name="Świetlica w Burzcu", village=village)
    service = make_service("Klub Seniora w Burzcu", places=[place])
    group = SynonymGroup(phrases="a; b")
    miss = SearchCount(day=date.today(), query="hipoterapia", searches=1, misses=1)
    situation = LifeSituation(name="Samotność", slug="samotnosc", description="Nie mam do kogo się odezwać.",
                              published=True, services=[service])
    person = Resident(first_name="Jan", last_name="Kowalski", search_first="jan", search_last="kowalski",
                      pesel="44051401359", village=village)
    request = Request(channel="phone", kind="application", resident=person,
                      coordinator_id=auth.user(Role.COORDINATOR).id)
    from kiosk.models import Screen

    screen = Screen(name="Hol", token="access-test-token-0123456789abcdef", always_on=True)
    from portal.assessment.models import Assessment

    assessment = Assessment(request=request, resident=person, coordinator_id=request.coordinator_id)
    db.session.add_all([group, miss, situation, person, request, screen, assessment])
    db.session.commit()
    import io
    from datetime import time, timedelta

    from PIL import Image

    from portal.events import images
    from portal.events import services as events
    from portal.events.models import Notice
    from portal.timeutil import now

    app.config["EVENT_MEDIA_DIR"] = str(tmp_path / "media")
    png = io.BytesIO()
    Image.new("RGB", (8, 8)).save(png, "PNG")
    png.seek(0)
    event = events.create_event(db.session, {
        "title": "Dzień Seniora", "start_date": date.today() + timedelta(days=3), "start_time": time(10),
        "end_date": date.today() + timedelta(days=3), "end_time": time(12), "image_name": images.store_upload(png),
        "image_alt": "Plakat"}, actor=None, status="published")
    notice = Notice(text="Centrum nieczynne", ends_at=now() + timedelta(days=1))
    db.session.add(notice)
    db.session.commit()
    return {
        "event_slug": event.slug, "event_id": event.id, "image_name": event.image_name,
        "notice_id": notice.id, "code": event_group_code(),
        "screen_id": screen.id, "token": screen.token,
        "service_id": service.id, "slug": service.slug, "provider_id": service.provider_id,
        "provider_slug": service.provider.slug, "place_id": place.id, "village_id": village.id,
        "group_id": group.id, "miss_id": miss.id, "request_id": request.id, "resident_id": person.id,
        "situation_id": situation.id, "situation_slug": situation.slug,
        "assessment_id": assessment.id,
        "delivery_id": 1, "consultation_id": 1,  # POST-only deletes: refused by role before any load
        "import_id": 1,  # POST-only withdrawal of a history import: refused by role before any load
        "kind": "report",  # the yearly report to the council
        **plan_objects(app, tmp_path, request, service, auth),
        **session_objects(app, tmp_path, service),
        **complaint_objects(service, auth),
        **account_objects(),
        **quality_objects(service),
        **duty_objects(auth),
        **application_objects(auth),
        **indicator_objects(app, tmp_path, service),
        **contract_objects(app, tmp_path, service),
        **proposal_objects(make_service),
    }


def proposal_objects(make_service):
    """A waiting change proposal to a service of the test provider account's organisation."""
    from portal.catalogue.models import Provider
    from portal.extensions import db
    from portal.manage import services as catalogue
    from portal.proposals.models import Proposal
    from portal.proposals.services import to_json
    from portal.timeutil import now
    from tests.conftest import provider_for

    own = make_service("Klub Seniora w Bęczkowie", provider=db.session.get(Provider, provider_for(Role.PROVIDER)))
    data = to_json(catalogue.service_data(own))
    proposal = Proposal(provider_id=own.provider_id, service_id=own.id, kind="change", base_version=own.version,
                        base=data, data={**data, "goal": "Integracja."}, state="submitted", submitted_at=now())
    db.session.add(proposal)
    db.session.commit()
    return {"proposal_id": proposal.id}


def duty_objects(auth):
    """A sent summary of the last ended half-year and a meeting the test coordinator attended."""
    from portal.extensions import db
    from portal.reports import duties
    from portal.timeutil import local_now

    today = local_now().date()
    organiser = auth.user(Role.SERVICES_ORGANISER)
    auth.user(Role.DIRECTOR), auth.user(Role.COMMUNITY_ORGANISER)
    year, half = duties.last_ended_half(today)
    summary = duties.save_conclusions(db.session, year, half, "Wnioski.", actor=organiser, expected_version=None,
                                      today=today)
    duties.send_summary(db.session, summary, actor=organiser, expected_version=summary.version, today=today)
    meeting = duties.create_meeting(db.session, {"held_on": today, "attendee_ids": [auth.user(Role.COORDINATOR).id],
                                                 "conclusions": "Omówiono terminy."}, actor=organiser, today=today)
    db.session.commit()
    return {"year": year, "half": half, "meeting_id": meeting.id}


def application_objects(auth):
    """A provider's application the organiser asked to complete: its one-time correction link."""
    from portal.applications import services as applications
    from portal.extensions import db
    from tests.applications.conftest import DATA

    application = applications.submit(db.session, DATA)
    token = applications.ask_for_more(db.session, application, "Prosimy o statut.",
                                      actor=auth.user(Role.SERVICES_ORGANISER), expected_version=1)
    db.session.commit()
    return {"application_id": application.id, "correction_token": token}


def complaint_objects(service, auth):
    """A complaint about the service, registered by the front desk, assigned to
    the coordinator, answered, with a follow-up action."""
    from portal.complaints import services as complaints
    from portal.extensions import db
    from portal.timeutil import local_now

    today = local_now().date()
    complaint = complaints.register(db.session, {
        "kind": "complaint", "channel": "phone", "received_on": today, "complainant_name": "Jan Kowalski",
        "subject": "service", "service_id": service.id, "description": "Zajęcia się nie odbyły."},
        actor=auth.user(Role.FRONT_DESK), today=today)
    director = auth.user(Role.DIRECTOR)
    complaints.assign(db.session, complaint, auth.user(Role.COORDINATOR).id, actor=director)
    complaints.answer(db.session, complaint, {"outcome": "upheld", "answered_on": today,
                                              "answer_text": "Przepraszamy."}, actor=director, today=today)
    action = complaints.add_action(db.session, complaint, {"text": "Rozmowa z realizatorem"}, actor=director)
    db.session.commit()
    return {"complaint_id": complaint.id, "action_id": action.id}
def quality_objects(service):
    """An unused one-time survey code, a drafted standard and a check of the service."""
    from datetime import date

    from portal.extensions import db
    from portal.quality import services as quality
    from portal.quality import surveys

    token = surveys.issue_tokens(db.session, service.id, 1, None)[0]
    standard = quality.save_draft(db.session, service, "Zajęcia co tydzień.", actor=None)
    check = quality.create_check(db.session, {"provider_id": service.provider_id, "checked_on": date.today(),
                                              "inspectors": "Anna Nowak", "scope": "Dokumentacja"}, actor=None)
    db.session.commit()
    return {"survey_token": token, "standard_id": standard.id, "check_id": check.id}


def account_objects():
    """An account with a live session and an unused set-password link."""
    from portal.accounts.services import issue_link
    from portal.auth.models import UserSession
    from portal.auth.services import create_user
    from portal.extensions import db
    from portal.timeutil import now

    user = create_user("konto-testowe", "Konto Testowe", Role.FRONT_DESK, None)
    db.session.add(row := UserSession(user_id=user.id))
    token, _link = issue_link(db.session, user, actor=None, moment=now())
    db.session.commit()
    return {"user_id": user.id, "session_id": row.id, "link_token": token}


def plan_objects(app, tmp_path, request, service, auth):
    """A signed plan with an update drafted, a completed assessment with no
    plan yet, a delegation, a scanned signature, a grant, a waiting entry."""

    from portal.assessment.models import Assessment, AssessmentService
    from portal.extensions import db
    from portal.plans import delegations, grants, waiting
    from portal.plans import services as plans
    from portal.plans.scans import store_scan

    coordinator, director = auth.user(Role.COORDINATOR), auth.user(Role.DIRECTOR)
    organiser = auth.user(Role.SERVICES_ORGANISER)
    from portal.timeutil import local_now

    today = local_now().date()  # the portal dates approvals and signatures in Warsaw, not UTC
    basis, spare = (Assessment(request=request, resident=request.resident, coordinator_id=coordinator.id,
                               status="completed", assessed_on=today) for _ in range(2))
    basis.services_wanted.append(AssessmentService(service_id=service.id, quantity=1))
    db.session.add_all([basis, spare])
    db.session.commit()
    delegation = delegations.grant_delegation(db.session, organiser.id, actor=director, today=today)
    plan = plans.create_plan(db.session, basis, plans.draft_defaults(db.session, basis, today), actor=coordinator)
    plans.submit(db.session, plan, actor=coordinator, expected_version=None, today=today)
    plans.approve(db.session, plan, actor=director, expected_version=None, today=today,
                  render=lambda snapshot, **_kw: b"%PDF-1.4 access test")
    version = plan.versions[0]
    for role in ("participant", "director"):
        plans.record_signature(db.session, plan, version, {"signer_role": role, "signer_name": "Jan Kowalski",
                                                           "signed_on": today},
                               actor=coordinator, expected_version=None, today=today)
    signature = version.signatures[0]
    app.config["PLAN_SCAN_DIR"] = str(tmp_path / "scans")
    signature.scan_file, _digest = store_scan(app.config["PLAN_SCAN_DIR"], b"%PDF-1.4 scan", ".pdf")
    plans.start_update(db.session, plan, actor=coordinator, expected_version=None, today=today)
    grant = grants.grant_service(db.session, request, {"service_id": service.id, "quantity": 1, "period_from": today,
                                                       "period_to": today}, actor=coordinator, today=today)
    entry = waiting.add_to_waiting_list(db.session, {"service_id": service.id, "resident_id": request.resident_id},
                                        actor=coordinator)
    db.session.commit()
    return {"plan_id": plan.id, "number": 0, "completed_assessment_id": spare.id, "signature_id": signature.id,
            "delegation_id": delegation.id, "grant_id": grant.id, "entry_id": entry.id}


def session_objects(app, tmp_path, service):
    """A planned session of the service, with a scan of its signed list."""
    from datetime import time

    from portal.delivery.models import GroupSession
    from portal.extensions import db
    from portal.plans.scans import store_scan
    from portal.timeutil import local_now

    app.config["ATTENDANCE_SCAN_DIR"] = str(tmp_path / "attendance")
    name, digest = store_scan(app.config["ATTENDANCE_SCAN_DIR"], b"%PDF-1.4 list", ".pdf")
    row = GroupSession(service_id=service.id, provider_id=service.provider_id, held_on=local_now().date(),
                       starts=time(10), ends=time(12), scan_file=name, scan_type="application/pdf",
                       scan_sha256=digest)
    db.session.add(row)
    db.session.commit()
    return {"group_session_id": row.id}


def event_group_code():
    from portal.catalogue.models import TargetGroup
    from portal.extensions import db

    return db.session.scalars(db.select(TargetGroup.code).order_by(TargetGroup.position)).first()


def indicator_objects(app, tmp_path, service):
    """A yearly indicator of the service (the indicators report's entry form) with a value entered
    for 2026 and the scan of its evidence."""
    from datetime import date
    from decimal import Decimal

    from portal.catalogue.models import Indicator
    from portal.extensions import db
    from portal.plans.scans import store_scan
    from portal.reports.indicators_models import IndicatorValue

    indicator = Indicator(service_id=service.id, name="liczba uczestników", unit="osoba", target_value=20)
    db.session.add(indicator)
    db.session.flush()
    app.config["INDICATOR_EVIDENCE_DIR"] = str(tmp_path / "indicators")
    name, digest = store_scan(app.config["INDICATOR_EVIDENCE_DIR"], b"%PDF-1.4 evidence", ".pdf")
    value = IndicatorValue(indicator_id=indicator.id, period_start=date(2026, 1, 1), period_end=date(2026, 12, 31),
                           value=Decimal(12), evidence="lista obecności", evidence_file=name,
                           evidence_type="application/pdf", evidence_sha256=digest)
    db.session.add(value)
    db.session.commit()
    return {"indicator_id": indicator.id, "indicator_code": "new_users", "value_id": value.id}


def contract_objects(app, tmp_path, service):
    """A contract for the service with the scan of the signed contract."""
    from datetime import date
    from decimal import Decimal

    from portal.contracts.models import Contract, ContractService
    from portal.extensions import db
    from portal.plans.scans import store_scan

    app.config["CONTRACT_SCAN_DIR"] = str(tmp_path / "contracts")
    name, digest = store_scan(app.config["CONTRACT_SCAN_DIR"], b"%PDF-1.4 contract", ".pdf")
    contract = Contract(number="CUS.526.1.2026", provider_id=service.provider_id, mode="open_competition",
                        starts_on=date(2026, 1, 1), ends_on=date(2027, 12, 31), amount=Decimal("1000"),
                        scan_file=name, scan_type="application/pdf", scan_sha256=digest,
                        lines=[ContractService(service_id=service.id, volume=Decimal(10))])
    db.session.add(contract)
    db.session.commit()
    return {"contract_id": contract.id}
# The API's object of each endpoint: its HSDS id is derived from this row (portal/api/hsds.py).
API_ROWS = {"api.service": lambda o: f"service:{o['service_id']}",
            "api.organization": lambda o: f"provider:{o['provider_id']}",
            "api.location": lambda o: f"place:{o['place_id']}",
            "api.service_at_location": lambda o: f"service_at_location:{o['service_id']}:{o['place_id']}",
            "api.taxonomy": lambda o: "taxonomy:area",
            "api.taxonomy_term": lambda o: "area:social_assistance"}


def url_for_rule(rule, objects):
    values = {}
    for arg in rule.arguments:
        if arg == "hsds_id":
            import uuid

            from flask import current_app

            from portal.api import hsds

            space = hsds.namespace(current_app.config["MUNICIPALITY_NAME"])
            values[arg] = str(uuid.uuid5(space, API_ROWS[rule.endpoint](objects)))
        elif arg == "slug" and "situation" in rule.endpoint:
            values[arg] = objects["situation_slug"]
        elif arg == "slug":
            values[arg] = objects["provider_slug"] if "provider" in rule.endpoint else objects["slug"]
        else:
            values[arg] = objects[arg]
    return rule.build(values)[1]


def expected_status(who, role, endpoint=None):
    if who == PUBLIC:
        return 200
    if role is None:
        return 302
    if role in HIDDEN.get(endpoint, ()):
        return 404
    if who == STAFF or role in who:
        return 302 if endpoint in REDIRECTS else 200
    return 403


def get_rules(app):
    return [r for r in app.url_map.iter_rules() if r.endpoint != "static" and "GET" in r.methods]


@pytest.mark.parametrize("role", [None, *Role.ALL])
def test_get_routes(app, client, auth, objects, role):
    if role:
        auth.login(role)
    failures = []
    for rule in get_rules(app):
        if rule.endpoint == "auth.login" and role:
            continue  # a logged-in user is sent on to the dashboard
        url = url_for_rule(rule, objects)
        status = client.get(url).status_code
        want = expected_status(TABLE[rule.endpoint], role, rule.endpoint)
        if status != want:
            failures.append(f"{url}: {status}, expected {want}")
    assert failures == []


@pytest.mark.parametrize("role", [None, *Role.ALL])
def test_post_routes_refuse_the_wrong_roles(app, client, auth, objects, role):
    token = auth.token_as(role)
    failures = []
    for rule in app.url_map.iter_rules():
        who = TABLE.get(rule.endpoint)
        if "POST" not in rule.methods or who == PUBLIC:
            continue
        if role and (who == STAFF or role in who):
            continue  # allowed: the feature tests cover what it does
        url = url_for_rule(rule, objects)
        status = client.post(url, data={"csrf_token": token}).status_code
        want = 302 if role is None else 404 if role in HIDDEN.get(rule.endpoint, ()) else 403
        if status != want:
            failures.append(f"POST {url}: {status}, expected {want}")
    assert failures == []


def test_anonymous_is_sent_to_login_with_next(client, objects):
    response = client.get("/manage/services")
    assert response.status_code == 302
    assert "/login?next=" in response.headers["Location"]
