"""The production configuration, proved the way a server meets it: fresh processes, a given environment.

Each check runs manage.py (or a short probe) in a subprocess with an environment built from scratch, so
nothing leaks in from the developer's shell or from the test settings pytest itself runs under.
"""

import ast
import json
import os
import re
import secrets
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
SETTINGS_DIR = ROOT / "siar" / "settings"
ENV_EXAMPLE = ROOT / ".env.example"
PRODUCTION = "siar.settings.production"
SETTINGS_READERS = {"env_str", "env_bool", "env_int", "env_list"}
COMPOSE_FILE = ROOT / "deploy" / "compose.yaml"
DOCKERFILE = ROOT / "deploy" / "Dockerfile"
# Read by manage.py, wsgi.py, asgi.py and siar/celery.py rather than by a settings module.
READ_OUTSIDE_SETTINGS = {"DJANGO_SETTINGS_MODULE"}
# Never set on a server, so deploy/compose.yaml does not pass them on.
NOT_FOR_SERVERS = {"DEBUG", "SIAR_CELERY_EAGER"}

REDIS_URL = os.environ.get("SIAR_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
AMQP_URL = os.environ.get("SIAR_TEST_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672//")
UNREACHABLE_DATABASE_URL = "postgres://siar:not-a-real-password@127.0.0.1:1/siar"  # nothing listens on port 1


def bare_env(**extra: str) -> dict[str, str]:
    """An environment with nothing but PATH, plus what the test names: no SECRET_KEY, DATABASE_URL, CI…"""
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **extra}


def production_env(**extra: str) -> dict[str, str]:
    """What a real server's /etc/siar/siar.env would hold."""
    server = {
        "DJANGO_SETTINGS_MODULE": PRODUCTION,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "siar.muaraenimkab.go.id",
        "DATABASE_URL": UNREACHABLE_DATABASE_URL,
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
    }
    return bare_env(**{**server, **extra})


def run_python(args: list[str], env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess:
    """Run the project's Python (the one running the tests: the venv's) from the checkout root."""
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return run_python(["manage.py", *args], env)


PROBE = """
import json, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "siar.settings.dev")
import django
django.setup()
from django.conf import settings
from siar.celery import app
db = settings.DATABASES["default"]
print(json.dumps({
    "debug": settings.DEBUG,
    "engine": db["ENGINE"],
    "db_name": str(db["NAME"]),
    "db_host": db.get("HOST", ""),
    "conn_max_age": db["CONN_MAX_AGE"],
    "broker_url": app.conf.broker_url,
    "transport": app.connection_for_write().transport_cls,
    "transport_options": app.conf.broker_transport_options,
}))
"""


def probe_settings(env: dict[str, str]) -> dict:
    """Load the settings and the Celery app in a fresh process and report what they resolved to."""
    result = run_python(["-c", PROBE], env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def env_example_entries() -> dict[str, tuple[str, bool]]:
    """NAME -> (value, active) for every `NAME=value` line of .env.example, commented out (inactive) or not."""
    entries = {}
    for line in ENV_EXAMPLE.read_text().splitlines():
        match = re.fullmatch(r"(#\s?)?([A-Z][A-Z0-9_]*)=(.*)", line.strip())
        if match:
            entries[match.group(2)] = (match.group(3), match.group(1) is None)
    return entries


def variables_read_by_settings() -> set[str]:
    """Every environment variable named in siar/settings: env_* readers, os.environ/getenv, dj_database_url."""
    names = set()
    for path in SETTINGS_DIR.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if not isinstance(node, ast.Call):
                continue
            callee = ast.unparse(node.func)
            first_arg = node.args[0].value if node.args and isinstance(node.args[0], ast.Constant) else None
            reads_env = callee in SETTINGS_READERS or callee in {"os.environ.get", "os.getenv"}
            if reads_env and isinstance(first_arg, str):
                names.add(first_arg)
            elif callee == "dj_database_url.config":
                names.add(next((kw.value.value for kw in node.keywords if kw.arg == "env"), "DATABASE_URL"))
    return names


# (1) ------------------------------------------------------------------------------------------------------


def test_production_passes_check_deploy_without_a_single_warning():
    # The database URL points where nothing listens: the deploy checks must not need a database.
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output
    assert "WARNING" not in output and "security.W" not in output


def test_env_example_filled_in_passes_check_deploy():
    """The template an operator copies is itself a passing production configuration once the secret is set."""
    active = {name: value for name, (value, is_active) in env_example_entries().items() if is_active}
    env = bare_env(**{**active, "SECRET_KEY": secrets.token_urlsafe(50), "DATABASE_URL": UNREACHABLE_DATABASE_URL})
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr


# (2) ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("secret_key", [None, ""], ids=["missing", "empty"])
def test_production_without_secret_key_refuses_to_start_and_says_why(secret_key):
    env = production_env()
    if secret_key is None:
        del env["SECRET_KEY"]
    else:
        env["SECRET_KEY"] = secret_key
    result = manage("check", env=env)
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line.startswith("django.core.exceptions.ImproperlyConfigured:"), result.stderr
    assert "SECRET_KEY" in last_line and ".env.example" in last_line


@pytest.mark.parametrize("allowed_hosts", [None, "", " , "], ids=["missing", "empty", "blank"])
def test_production_without_allowed_hosts_refuses_to_start(allowed_hosts):
    """An empty list would not fail any check: the site would just answer every request with 400."""
    env = production_env()
    if allowed_hosts is None:
        del env["ALLOWED_HOSTS"]
    else:
        env["ALLOWED_HOSTS"] = allowed_hosts
    result = manage("check", env=env)
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert "ImproperlyConfigured" in last_line and "ALLOWED_HOSTS" in last_line and ".env.example" in last_line


# (3) ------------------------------------------------------------------------------------------------------


def test_dev_settings_need_no_environment_at_all():
    env = bare_env()  # not even DJANGO_SETTINGS_MODULE: manage.py falls back to the dev settings
    result = manage("check", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    resolved = probe_settings(env)
    assert resolved["debug"] is True
    assert resolved["engine"] == "django.db.backends.sqlite3"
    assert resolved["db_name"] == str(ROOT / "var" / "siar.sqlite3")
    assert resolved["transport"] == "filesystem"


# (4) ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("broker_url", "transport"),
    [("redis://127.0.0.1:6379/0", "redis"), ("amqp://guest:guest@127.0.0.1:5672//", "amqp")],
    ids=["redis", "rabbitmq"],
)
def test_production_takes_postgres_and_the_broker_from_the_environment(broker_url, transport):
    resolved = probe_settings(
        production_env(DATABASE_URL="postgres://siar:secret@db.internal:5432/siar", CELERY_BROKER_URL=broker_url)
    )
    assert resolved["debug"] is False
    assert resolved["engine"] == "django.db.backends.postgresql"
    assert (resolved["db_host"], resolved["db_name"]) == ("db.internal", "siar")
    assert resolved["conn_max_age"] == 60  # production keeps connections open unless told otherwise
    assert resolved["broker_url"] == broker_url
    assert resolved["transport"] == transport
    assert resolved["transport_options"] == {"visibility_timeout": 3600}


# (5) ------------------------------------------------------------------------------------------------------


def test_every_variable_the_settings_read_is_documented_in_env_example():
    read = variables_read_by_settings()
    documented = set(env_example_entries())
    assert {"SECRET_KEY", "DATABASE_URL", "CELERY_BROKER_URL"} <= read  # the parser itself still works
    assert read - documented == set(), "add these to .env.example with their default"
    read_by_compose = set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)", COMPOSE_FILE.read_text()))
    stale = documented - read - READ_OUTSIDE_SETTINGS - read_by_compose
    assert stale == set(), "read neither by siar/settings nor by deploy/compose.yaml: drop them"


def test_compose_passes_every_server_variable_on():
    compose = COMPOSE_FILE.read_text()
    passed_on = set(re.findall(r"^\s+([A-Z][A-Z0-9_]*): ", compose, flags=re.MULTILINE))
    missing = variables_read_by_settings() - NOT_FOR_SERVERS - passed_on
    assert missing == set(), "add these under x-siar-environment in deploy/compose.yaml"


def test_env_example_leaves_the_secret_empty():
    entries = env_example_entries()
    assert entries["SECRET_KEY"] == ("", True)
    assert entries["DJANGO_SETTINGS_MODULE"] == (PRODUCTION, True)


def test_the_image_copies_every_top_level_package():
    copied = set(re.findall(r"^COPY (\S+) \./\1$", DOCKERFILE.read_text(), flags=re.MULTILINE))
    packages = {path.parent.name for path in ROOT.glob("*/__init__.py")} - {"tests", "scripts", "bench"}
    assert packages - copied == set(), "add a COPY line for each to deploy/Dockerfile"
    assert {"themes", "locale"} <= copied


# (6) ------------------------------------------------------------------------------------------------------


def test_no_model_change_lacks_its_migration():
    result = manage("makemigrations", "--check", "--dry-run", env=bare_env(DJANGO_SETTINGS_MODULE="siar.settings.test"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No changes detected" in result.stdout


# (7) ------------------------------------------------------------------------------------------------------

ROUND_TRIP = """
import uuid
from siar.celery import app
with app.connection_for_write() as connection:
    connection.ensure_connection(max_retries=1, timeout=5)
    queue = connection.SimpleQueue(f"siar-settings-test-{uuid.uuid4().hex}", queue_opts={"auto_delete": True})
    try:
        queue.put({"hello": "siar"})
        message = queue.get(timeout=5)
        message.ack()
        assert message.payload == {"hello": "siar"}, message.payload
    finally:
        queue.close()  # cancels the consumer first: RabbitMQ cancels consumers of a queue deleted under them
        with connection.channel() as channel:
            queue.queue.bind(channel).delete()
print("round trip through", connection.transport_cls)
"""


def require_answer(url: str) -> None:
    """Skip when the broker is not running on this laptop; under CI it must be (.ci/run starts it)."""
    parts = urlsplit(url)
    try:
        socket.create_connection((parts.hostname, parts.port), timeout=2).close()
    except OSError as error:
        message = f"{parts.scheme} broker at {parts.hostname}:{parts.port} does not answer ({error})"
        if os.environ.get("CI"):
            pytest.fail(f"{message}: CI needs it, .ci/run starts it")
        pytest.skip(f"{message}: start it to run this test")


@pytest.mark.parametrize("broker_url", [REDIS_URL, AMQP_URL], ids=["redis", "rabbitmq"])
def test_the_celery_app_talks_to_the_real_broker(broker_url):
    require_answer(broker_url)
    result = run_python(["-c", ROUND_TRIP], production_env(CELERY_BROKER_URL=broker_url), timeout=60)
    assert result.returncode == 0, result.stderr
    assert f"round trip through {urlsplit(broker_url).scheme}" in result.stdout
