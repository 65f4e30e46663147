"""Property-based fuzzing of the API from its own OpenAPI description
(schemathesis, in-process against the Flask app): no 5xx, and every answer
(status, content type, headers, body) as the description says. A bounded
number of examples per operation keeps it to seconds, on both databases."""
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

EXAMPLES = 8

CONFIG = SchemathesisConfig.from_dict({"phases": {"coverage": {"enabled": False}},
                                      "generation": {"mode": "positive", "max-examples": EXAMPLES,
                                                     "deterministic": True}})


@pytest.fixture
def api_schema(app, catalogue, events_made):
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app, config=CONFIG)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much])
def test_the_api_answers_as_described(case):
    case.call_and_validate()
