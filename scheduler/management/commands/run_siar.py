"""manage.py run_siar: set up the embedded demo and run web, worker and beat together (`make run`).

Everything here is for one laptop or one small office server: SQLite, the filesystem Celery broker, Django's
development server. Production runs the same three processes separately (deploy/).
"""

import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand

DEMO_ADMIN = "admin"


def _interrupt(signum, frame):
    raise KeyboardInterrupt


class Command(BaseCommand):
    help = "Migrate, load the demo content once, create the demo admin, then run web + Celery worker + beat."

    def add_arguments(self, parser):
        parser.add_argument("--addr", default=os.environ.get("SIAR_ADDR", "127.0.0.1:8000"))
        parser.add_argument("--no-demo", action="store_true", help="Do not load demo content.")

    def handle(self, *args, addr: str, no_demo: bool, **options):
        self.prepare_folders()
        self.step("Database: applying migrations")
        call_command("migrate", interactive=False, verbosity=0)
        if not no_demo:
            self.load_demo_once()
        password = self.ensure_demo_admin()
        self.announce(addr, password)
        sys.exit(self.run_processes(addr))

    def step(self, message: str) -> None:
        self.stdout.write(self.style.MIGRATE_HEADING(f"==> {message}"))

    def prepare_folders(self) -> None:
        options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
        for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
            if key in options:
                Path(options[key]).mkdir(parents=True, exist_ok=True)
        Path(settings.MEDIA_ROOT).mkdir(parents=True, exist_ok=True)

    def load_demo_once(self) -> None:
        from cms.models import NewsPage

        if NewsPage.objects.exists():
            self.step("Demo content: already loaded (delete var/ to start over)")
            return
        self.step("Demo content: loading a realistic regency (Muara Enim)")
        call_command("load_demo_content")

    def ensure_demo_admin(self) -> str | None:
        """Create the admin once with a random password kept in var/, so it can be printed every run."""
        password_file = settings.VAR_DIR / "demo-admin-password.txt"
        user_model = get_user_model()
        if user_model.objects.filter(username=DEMO_ADMIN).exists():
            return password_file.read_text().strip() if password_file.exists() else None
        password = os.environ.get("SIAR_DEMO_PASSWORD") or secrets.token_urlsafe(12)
        user_model.objects.create_superuser(DEMO_ADMIN, "admin@siar.localhost", password)
        password_file.write_text(password + "\n")
        password_file.chmod(0o600)
        return password

    def announce(self, addr: str, password: str | None) -> None:
        base = f"http://{addr}"
        lines = [
            "",
            f"  Site (situs publik):  {base}/",
            f"  Admin (Wagtail):      {base}/admin/",
            f"  Login:                {DEMO_ADMIN} / {password or '(the password you set earlier)'}",
            f"  Static site (files):  {settings.SIAR_SITE_ROOT}/current  (rebuilt by the worker after each change)",
            "  Stop with Ctrl+C.",
            "",
        ]
        self.stdout.write(self.style.SUCCESS("\n".join(lines)))

    def run_processes(self, addr: str) -> int:
        python = sys.executable
        commands = {
            "web": [python, "manage.py", "runserver", addr],
            "worker": [python, "-m", "celery", "-A", "siar", "worker", "--loglevel", "INFO", "--concurrency", "1"],
            "beat": [python, "-m", "celery", "-A", "siar", "beat", "--loglevel", "INFO"],
        }
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "siar.settings.dev")}
        processes = {name: subprocess.Popen(cmd, cwd=settings.BASE_DIR, env=env) for name, cmd in commands.items()}
        # Ctrl+C reaches the whole process group, but a SIGTERM (a service manager, `kill`) reaches only us:
        # treat both alike so the children never outlive their launcher.
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, _interrupt)
        try:
            while True:
                for name, process in processes.items():
                    if process.poll() is not None:
                        self.stderr.write(f"{name} stopped with exit code {process.returncode}; stopping the others.")
                        return process.returncode or 1
                time.sleep(1)
        except KeyboardInterrupt:
            return 0
        finally:
            self.stop(processes)

    def stop(self, processes: dict) -> None:
        for process in processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 15
        for process in processes.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
