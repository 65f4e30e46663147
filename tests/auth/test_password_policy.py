"""The password policy (security review, issue 9): at least 12 characters,
not a common or leaked password (the lists shipped in portal/auth/data/),
not such a word with digits or punctuation added, not the login or the name."""
import pytest

from portal.auth import policy


@pytest.mark.parametrize("password", ["krótkie1", "abc", "", "12345678901"])
def test_shorter_than_twelve_is_refused(password):
    assert policy.check(password) == policy.TOO_SHORT


@pytest.mark.parametrize("password", ["qwertyuiop123", "password1234", "Warszawa2026!", "Zaq12wsx!!!!", "kochanie1234",
                                      "Haslo1234567!", "haslohaslo12", "aaaaaaaaaaaaaa", "1234567890123"])
def test_common_passwords_and_their_variants_are_refused(password):
    assert policy.check(password) == policy.COMMON


@pytest.mark.parametrize("password", ["jnowak-2026-zima", "Nowakowa Jan 12", "janina.kowalska!"])
def test_the_login_or_the_name_is_refused(password):
    assert policy.check(password, username="jnowak", full_name="Janina Kowalska") == policy.PERSONAL or \
        policy.check(password, username="jnowak", full_name="Jan Nowak") == policy.PERSONAL


@pytest.mark.parametrize("password", ["correct horse battery", "Zielona łąka nad Wieprzem", "dlugie-haslo-w-gminie",
                                      "7 kotów je żurek o świcie"])
def test_long_unusual_passwords_pass(password):
    assert policy.check(password, username="jnowak", full_name="Jan Nowak") is None


def test_the_longest_password_is_limited():
    assert policy.check("x" * 257) == policy.TOO_LONG


def test_every_code_has_a_polish_message(app):
    with app.test_request_context("/"):
        messages = [policy.message(code) for code in (policy.TOO_SHORT, policy.TOO_LONG, policy.COMMON,
                                                       policy.PERSONAL)]
    assert messages[0] == "Hasło musi mieć co najmniej 12 znaków."
    assert "zbyt popularne" in messages[2] and "loginu" in messages[3]


def test_the_cli_refuses_a_common_password(runner):
    result = runner.invoke(args=["users", "create", "jnowak", "--name", "Jan Nowak", "--role", "coordinator",
                                 "--password", "qwertyuiop123"])
    assert result.exit_code != 0 and "too common" in result.output
