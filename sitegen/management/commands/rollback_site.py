"""manage.py rollback_site: serve an earlier release again, instantly (no rebuild), or list the releases."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from sitegen.releases import ReleaseError, releases_overview, site_rollback


class Command(BaseCommand):
    help = (
        "Switch the public site back to the previous release (or the one named with --to) in one atomic step. "
        "--list shows the releases that are kept."
    )

    def add_arguments(self, parser):
        parser.add_argument("--to", metavar="NAME", help="The release to serve (see --list). Default: the previous.")
        parser.add_argument(
            "--list", dest="show_list", action="store_true", help="List the releases instead of rolling back."
        )

    def handle(self, *args, to: str | None, show_list: bool, **options):
        try:
            if show_list:
                self.list_releases()
                return
            rollback = site_rollback(
                to=to,
                on_wait=lambda: self.stdout.write(_("A build of the site is running; waiting for it to finish…")),
            )
        except ReleaseError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                _("The site now serves release %(to)s (it served %(from)s).")
                % {"to": rollback.to_name, "from": rollback.from_name}
            )
        )

    def list_releases(self) -> None:
        overview = releases_overview()
        if not overview.releases:
            self.stdout.write(_("No release has been built yet. Run manage.py build_site."))
            return
        for release in overview.releases:
            marker = "*" if release.name == overview.live else "<" if release.name == overview.previous else " "
            started = timezone.localtime(release.started_at).strftime("%Y-%m-%d %H:%M")
            seconds = f"{release.duration.total_seconds():.1f} s" if release.duration else "-"
            self.stdout.write(
                f"{marker} {release.name}  {release.get_status_display():<14} {release.get_trigger_display():<20} "
                f"{started}  {seconds:>8}  {release.files_written}+{release.files_reused}"
            )
        self.stdout.write(_("* live   < where rollback_site goes without --to   files: written+reused"))
