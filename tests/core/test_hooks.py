"""Named hooks (portal/core/hooks.py): a lower layer asks, the higher
features answer, in a fixed order, in the caller's transaction."""
from portal.core import hooks
from portal.core.hooks import Hook


def _receiver(module, name, answer):
    def receiver(*args, **kwargs):
        return answer(*args, **kwargs)

    receiver.__module__, receiver.__qualname__ = module, name
    return receiver


def test_a_call_returns_every_answer_lowest_layer_first():
    hook = Hook("test", "A hook for the test.")
    plans = hook.connect(_receiver("portal.plans.hooks", "a", lambda x: ("plans", x)))
    desk = hook.connect(_receiver("portal.desk.hooks", "b", lambda x: ("desk", x)))
    stray = hook.connect(_receiver("tests.somewhere", "c", lambda x: ("test", x)))
    root = hook.connect(_receiver("portal", "d", lambda x: ("app", x)))
    assert hook.receivers == [desk, plans, root, stray]
    assert hook.call(1) == [("desk", 1), ("plans", 1), ("app", 1), ("test", 1)]
    hook.disconnect(plans)
    assert hook.call(2) == [("desk", 2), ("app", 2), ("test", 2)]


def test_the_same_receiver_registered_twice_answers_once():
    hook = Hook("test", "A hook for the test.")
    hook.connect(_receiver("portal.desk.hooks", "same", lambda: "old"))
    hook.connect(_receiver("portal.desk.hooks", "same", lambda: "new"))  # the module imported again
    assert hook.call() == ["new"]


def test_no_receiver_no_answer():
    assert Hook("test", "A hook for the test.").call("anything") == []


def test_every_hook_says_what_it_asks():
    declared = [value for value in vars(hooks).values() if isinstance(value, Hook)]
    assert {h.name for h in declared} == set(hooks.__all__) - {"Hook"}
    for hook in declared:
        assert getattr(hooks, hook.name) is hook
        assert "Called by" in hook.__doc__ and "Receivers:" in hook.__doc__, hook.name


def test_the_app_registers_the_features_answers(app):
    """create_app imports every feature, and with it its receivers."""
    def where(hook):
        return [f"{r.__module__}.{r.__name__}" for r in hook.receivers]

    assert where(hooks.registered_names) == ["portal.residents.hooks.registered_names"]
    assert where(hooks.assigned_residents) == ["portal.desk.hooks.coordinator_of_a_request"]
    assert where(hooks.resident_merged) == ["portal.desk.hooks.move_requests",
                                            "portal.delivery.hooks.count_the_merged_person_once"]
    assert where(hooks.person_card) == ["portal.desk.hooks.requests_on_card",
                                        "portal.assessment.hooks.assessment_button"]
    assert where(hooks.case_running) == ["portal.plans.hooks.plan_or_grant_running"]
    assert where(hooks.case_handed_over) == ["portal.assessment.hooks.hand_over_assessments",
                                             "portal.plans.hooks.hand_over_plans"]
    assert where(hooks.start_notices) == ["portal.contracts.hooks.contract_alerts",
                                          "portal.providers.hooks.entries_to_confirm",
                                          "portal.reports.duties_hooks.duty_reminders"]


def test_a_receiver_sees_the_callers_transaction(app):
    """What the caller has flushed but not committed is what the receiver reads."""
    from portal.extensions import db
    from portal.residents.models import Resident

    person = Resident(first_name="Zdzisława", last_name="Kędzierska", search_first="zdzislawa",
                      search_last="kedzierska", no_pesel_reason="brak")
    db.session.add(person)
    db.session.flush()
    [found] = hooks.registered_names.call(db.session, ["kedzierska", "rower"])
    assert found == {"kedzierska"}
    db.session.rollback()
    assert hooks.registered_names.call(db.session, ["kedzierska"]) == [set()]
