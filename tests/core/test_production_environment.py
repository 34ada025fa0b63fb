"""Production is DEBUG off (or SEUIL_ENV=production), whatever SEUIL_HTTPS says: there Seuil
refuses to start with the public development key or without two-factor authentication.
Only an explicit SEUIL_ENV=demo or test lifts those refusals (the demo, the tests), and
SEUIL_ENV=production refuses DEBUG."""

import base64
import secrets
import subprocess
import sys

import pytest

from seuil.core.environment import (
    UnknownEnvironment,
    demo_environment,
    runs_in_production,
)
from tests.core.test_security_headers import production_env, run_django


@pytest.mark.parametrize(
    ("environ", "production"),
    [
        ({}, True),
        ({"DEBUG": "0"}, True),
        ({"SEUIL_HTTPS": "0"}, True),
        ({"DEBUG": "1"}, False),
        ({"SEUIL_ENV": "demo"}, False),
        ({"SEUIL_ENV": "test"}, False),
        ({"SEUIL_ENV": " Production "}, True),
        ({"SEUIL_ENV": "production", "DEBUG": "1"}, True),
        ({"SEUIL_ENV": "", "DEBUG": "0"}, True),
    ],
)
def test_which_environment_is_production(environ, production):
    assert runs_in_production(environ) is production


def test_an_unknown_environment_is_refused():
    with pytest.raises(UnknownEnvironment, match="production, demo, test"):
        runs_in_production({"SEUIL_ENV": "staging"})


def bare_env(**extra):
    """The production environment of the tests, without HTTPS nor a key of its own."""
    env = production_env()
    for name in ("SEUIL_HTTPS", "SECRET_KEY"):
        env.pop(name)
    env.update(extra)
    return env


def test_debug_off_without_https_refuses_the_development_key(tmp_path):
    result = run_django("pass", bare_env(), tmp_path)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "SECRET_KEY" in result.stderr


def test_debug_off_without_https_refuses_to_turn_two_factor_off(tmp_path):
    env = bare_env(SECRET_KEY=secrets.token_urlsafe(50), SEUIL_TWO_FACTOR="0")
    result = run_django("pass", env, tmp_path)
    assert result.returncode != 0
    assert "SEUIL_TWO_FACTOR" in result.stderr


@pytest.mark.parametrize("environment", ["demo", "test"])
def test_the_demo_and_test_environments_start_with_the_development_key(tmp_path, environment):
    env = bare_env(SEUIL_ENV=environment, SEUIL_TWO_FACTOR="0")
    env.pop("SEUIL_ENCRYPTION_KEYS")
    result = run_django(
        "from django.conf import settings as s; print(s.PRODUCTION, s.SEUIL_TWO_FACTOR)",
        env,
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[0] == "False False"


def test_explicit_production_refuses_debug(tmp_path):
    env = production_env(SEUIL_ENV="production", DEBUG="1")
    result = run_django("pass", env, tmp_path)
    assert result.returncode != 0
    assert "DEBUG est activé alors que SEUIL_ENV=production" in result.stderr


def test_without_https_production_keeps_plain_cookies(tmp_path):
    result = run_django(
        "from django.conf import settings as s; "
        "print(s.PRODUCTION, s.SESSION_COOKIE_SECURE, s.SECURE_SSL_REDIRECT)",
        bare_env(SECRET_KEY=secrets.token_urlsafe(50)),
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[0] == "True False False"


@pytest.mark.parametrize(
    ("argv", "environ", "expected"),
    [
        (["seuil", "demo", "--no-serve"], {}, "demo"),
        (["seuil", "demo"], {"DEBUG": "0"}, "demo"),
        (["seuil", "demo"], {"SEUIL_ENV": "production"}, "production"),
        (["seuil", "demo"], {"SEUIL_ENV": "test"}, "test"),
        (["seuil", "demo"], {"SECRET_KEY": "une-vraie-cle"}, None),
        (["seuil", "demo"], {"SEUIL_HTTPS": "1"}, None),
        (["seuil", "runserver"], {}, None),
        (["seuil", "migrate"], {}, None),
        (["seuil"], {}, None),
    ],
)
def test_only_seuil_demo_runs_in_the_demo_environment_and_never_on_an_installation(
    argv, environ, expected
):
    environ = dict(environ)
    demo_environment(argv, environ)
    assert environ.get("SEUIL_ENV") == expected


def test_seuil_demo_on_an_installation_refuses_and_writes_nothing(tmp_path):
    env = bare_env(
        SECRET_KEY=secrets.token_urlsafe(50),
        SEUIL_ENCRYPTION_KEYS=base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        SEUIL_DATA_DIR=str(tmp_path),
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, "-m", "seuil.cli", "demo", "--no-serve"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "jamais en production" in result.stderr
    assert (tmp_path / "seuil.sqlite3").stat().st_size == 0  # not even migrated
