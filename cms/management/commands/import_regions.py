"""manage.py import_regions FILE.csv [--prefix 16.03]: districts and villages from a Kemendagri CSV."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cms.services.regions import regions_import_csv


class Command(BaseCommand):
    help = "Import districts (kecamatan) and villages (desa/kelurahan) from a CSV with columns kode,nama[,jenis]."

    def add_arguments(self, parser):
        parser.add_argument("csv_file", type=Path)
        parser.add_argument("--prefix", default="", help="Only codes under this one, e.g. 16.03 for Muara Enim.")

    def handle(self, *args, csv_file: Path, prefix: str, **options):
        if not csv_file.is_file():
            raise CommandError(f"{csv_file} does not exist or is not a file.")
        result = regions_import_csv(data=csv_file.read_bytes(), prefix=prefix)
        if not result.ok:
            for error in result.errors:
                self.stderr.write(error)
            raise CommandError(f"Nothing was imported: fix the {len(result.errors)} problem(s) above and run again.")
        self.stdout.write(
            self.style.SUCCESS(
                f"Regions imported: {result.created} new, {result.updated} updated, "
                f"{result.unchanged} unchanged, {result.skipped} skipped."
            )
        )
