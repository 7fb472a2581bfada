"""manage.py build_site: build the public site into a new release and switch it live (sitegen/releases.py)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from sitegen.build import site_build
from sitegen.models import SiteRelease
from sitegen.releases import BuildInProgress, BuildProgress


class Command(BaseCommand):
    help = (
        "Build the static public site from published, verified content into a new release and make it live in one "
        "atomic switch. A failed or interrupted build leaves the live site as it was."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--incremental",
            action="store_true",
            help="Re-render only what changed since the live release; unchanged files are reused.",
        )
        parser.add_argument(
            "--no-wait", action="store_true", help="Fail at once if another build is running, instead of waiting."
        )

    def handle(self, *args, incremental: bool, no_wait: bool, **options):
        self.on_terminal, self.line_open = self.stdout.isatty(), False
        try:
            release = site_build(
                trigger=SiteRelease.Trigger.INCREMENTAL if incremental else SiteRelease.Trigger.FULL,
                progress=self.show_progress if self.on_terminal else None,
                wait=0 if no_wait else None,
                on_wait=lambda: self.stdout.write(_("Another build of the site is running; waiting for it to finish…")),
            )
        except BuildInProgress as error:
            raise CommandError(str(error)) from error
        except Exception as error:
            self.end_progress_line()
            raise CommandError(
                _(
                    "The build failed, so the live site was not changed: %(error)s. Fix the cause and run build_site "
                    "again; the admin's Site releases page keeps this error."
                )
                % {"error": error}
            ) from error
        self.end_progress_line()
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Release %(name)s is live: %(written)d files written, %(reused)d reused, %(removed)d removed, "
                    "in %(seconds).1f s."
                )
                % {
                    "name": release.name,
                    "written": release.files_written,
                    "reused": release.files_reused,
                    "removed": release.files_removed,
                    "seconds": release.duration.total_seconds(),
                }
            )
        )

    def show_progress(self, progress: BuildProgress) -> None:
        """One line, rewritten in place."""
        figures = {"done": progress.done, "total": progress.total, "rate": round(progress.rate)}
        if progress.total:
            line = _("%(done)d of %(total)d files (%(rate)d per second)") % figures
        else:
            line = _("%(done)d files (%(rate)d per second)") % figures
        self.stdout.write(f"\r{line}", ending="")
        self.stdout.flush()
        self.line_open = True

    def end_progress_line(self) -> None:
        if self.line_open:
            self.stdout.write("")
            self.line_open = False
