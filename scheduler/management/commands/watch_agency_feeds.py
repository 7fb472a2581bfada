"""manage.py watch_agency_feeds: watch every feed address entered on agencies and KIM groups (idempotent)."""

from django.core.management.base import BaseCommand

from scheduler.services.watch import sources_watch_owner_feeds


class Command(BaseCommand):
    help = "Create a watched channel for every agency feed and agency/KIM social account feed not watched yet."

    def handle(self, *args, **options):
        result = sources_watch_owner_feeds()
        self.stdout.write(f"{result.created} new watched channel(s), {result.already_watched} already watched.")
