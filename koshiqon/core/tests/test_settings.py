"""Production settings refuse to start with an insecure default, and say which variable is wrong; on PostgreSQL
they prepare repeated statements."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
GOOD = {
    "SECRET_KEY": "x" * 64,
    "DEBUG": "false",
    "ALLOWED_HOSTS": "koshiqon.example.kz",
    "DATABASE_URL": "postgres://koshiqon@db.example.kz:5432/koshiqon",
}


def _load_production(show: str = "print(settings.DEBUG)", **overrides: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in GOOD}
    env.update(GOOD)
    env.update(overrides)
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.production"
    code = f"import django; django.setup(); from django.conf import settings; {show}"
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


def test_production_settings_start_when_every_variable_is_safe():
    result = _load_production()
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("SECRET_KEY", "insecure-local-demo-key-never-use-in-production"),
        ("SECRET_KEY", "short"),
        ("DEBUG", "true"),
        ("ALLOWED_HOSTS", "*"),
        ("DATABASE_URL", "sqlite:////tmp/koshiqon.sqlite3"),
    ],
)
def test_production_settings_refuse_an_insecure_value_and_name_the_variable(variable, value):
    result = _load_production(**{variable: value})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and variable in result.stderr.splitlines()[-1]


def test_a_value_that_is_not_a_boolean_is_named_in_the_error():
    result = _load_production(DEBUG="maybe")
    assert result.returncode != 0 and "DEBUG='maybe'" in result.stderr



def test_postgresql_binds_parameters_on_the_server_and_prepares_repeated_statements_unless_told_not_to():
    show = "print(sorted(settings.DATABASES['default'].get('OPTIONS', {}).items()))"
    result = _load_production(show=show)
    assert result.stdout.strip() == "[('prepare_threshold', 5), ('server_side_binding', True)]", result.stderr
    assert _load_production(show=show, DB_PREPARED_STATEMENTS="false").stdout.strip() == "[]"
