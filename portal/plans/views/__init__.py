"""The plan pages, one module a part: plans (the list, the form, the plan's
page), actions (submit, approve, return, cancel, update; the approval
queue), signatures, grants, waiting lists and delegations. All register on
the one `plans` blueprint, so every endpoint keeps its name ("plans.edit")."""
from . import actions, common, delegations, grants, plans, signatures, waiting  # noqa: F401
