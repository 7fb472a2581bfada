"""Run the whole suite on SQLite, then the database tests again on PostgreSQL.

`make test` calls this. PostgreSQL is taken from SIAR_TEST_POSTGRES_URL (default: the local server with
trust auth). On a laptop without PostgreSQL the second pass is skipped with a warning; under CI it must run.
"""

import os
import subprocess
import sys

import psycopg

PG_URL = os.environ.get("SIAR_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/siar")
NO_TESTS_COLLECTED = 5


def postgres_answers(url: str) -> bool:
    try:
        with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", connect_timeout=3):
            return True
    except psycopg.OperationalError as error:
        print(f"PostgreSQL at {url} did not answer: {error}".strip())
        return False


def run_pytest(label: str, extra_env: dict[str, str], args: list[str]) -> int:
    print(f"\n==> Test suite on {label}", flush=True)
    env = {**os.environ, **extra_env}
    code = subprocess.call([sys.executable, "-m", "pytest", *args], env=env)
    if code == NO_TESTS_COLLECTED:
        print(f"No tests were collected on {label}: check the -k/-m arguments or tests/ itself.")
    return code


def main(args: list[str]) -> int:
    env_without_db = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    os.environ.clear()
    os.environ.update(env_without_db)
    code = run_pytest("SQLite", {}, args)
    if code != 0:
        return code
    if not postgres_answers(PG_URL):
        if os.environ.get("CI"):
            print("CI needs PostgreSQL: start it (see .ci/run) and try again.")
            return 1
        print("Skipped the PostgreSQL pass: start PostgreSQL or set SIAR_TEST_POSTGRES_URL to run it.")
        return 0
    # The browser tests exercise the UI, not the database engine: once, on SQLite, is enough.
    return run_pytest("PostgreSQL", {"DATABASE_URL": PG_URL}, ["-m", "not browser", *args])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
