"""manage.py load_demo_content: fill a fresh Siar with Muara Enim demo content (safe to rerun)."""

import time

from django.core.management.base import BaseCommand, CommandError

from cms.demo.loader import DEFAULT_LISTINGS, DEFAULT_NEWS, load_demo_content


class Command(BaseCommand):
    help = "Load demo content modelled on Muara Enim regency: regions, agencies, KIM groups, news and directory."

    def add_arguments(self, parser):
        parser.add_argument("--news", type=int, default=DEFAULT_NEWS, help="Number of news items (default 300).")
        parser.add_argument(
            "--listings", type=int, default=DEFAULT_LISTINGS, help="Number of directory listings (default 120)."
        )

    def handle(self, *args, news: int, listings: int, **options):
        if news < 0 or listings < 0:
            raise CommandError("--news and --listings cannot be negative.")
        started = time.monotonic()
        summary = load_demo_content(news=news, listings=listings, report=self.stdout.write)
        self.stdout.write(
            self.style.SUCCESS(
                f"Selesai dalam {time.monotonic() - started:.1f} detik: {summary.news_created} berita dan "
                f"{summary.listings_created} listing baru."
            )
        )
