"""Fixtures of the demo tests."""
import pytest


@pytest.fixture
def demo(app, runner):
    """The demo data as `make run` creates it (`flask demo ensure`)."""
    app.config["DEMO_MODE"] = True
    result = runner.invoke(args=["demo", "ensure"])
    assert result.exit_code == 0, result.output
