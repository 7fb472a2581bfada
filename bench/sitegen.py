"""Benchmark: Siar's static build against the peer a Wagtail user would reach for (django-distill), same content.

Usage: .venv/bin/python bench/sitegen.py [--sizes 1000,10000] [--no-peer]

For each size N (news items; listings = N/10) in a scratch SIAR_VAR_DIR on SQLite (the embedded default):
  1. seed N published, verified news and N/10 listings (bench/sitegen_seed.py), and warm the image renditions
     with one build, so neither tool pays for resizing images;
  2. `manage.py build_site` (full): wall time, pages per second, peak memory of the build process;
  3. publish one new item the way the admin does (revision, verdict, publish), then an incremental build:
     the time from the publish call until the new release is live, and how many files were rendered;
  4. django-distill (`distill-local`) over the same HTML pages in the same run: wall time, pages per second,
     peak memory — and the ratio.
Prints figures, asserts nothing: speed is measured, not tested (tests never assert wall-clock times).
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

PUBLISH_ONE = """
import time, sys
sys.path.insert(0, {base!r})
import django; django.setup()
from cms.models import NewsIndexPage, NewsPage, NewsCategory
from cms.services.verification import EvidenceItem, verdict_record
from django.contrib.auth import get_user_model
from sitegen.build import site_build
index = NewsIndexPage.objects.get()
start = time.perf_counter()
page = index.add_child(instance=NewsPage(title="Berita Baru Untuk Diukur", slug="berita-baru-diukur",
    lead="Satu berita baru.", body=[("paragraph", "<p>Isi.</p>")], live=False))
page.categories.set([NewsCategory.objects.first()])
revision = page.save_revision()
verdict_record(revision=revision, verifier=get_user_model().objects.get(username="verifikator-bench"),
    verdict="true", category="", evidence=[EvidenceItem(text="Dicek.")])
revision.publish()
published = time.perf_counter()
release = site_build(trigger="incremental")
live = time.perf_counter()
print(f"{{published - start:.3f}} {{live - published:.3f}} {{release.files_written}} {{release.files_reused}}")
"""


def run(env: dict, *args: str) -> tuple[float, int, str]:
    """Run a command; return wall seconds, peak RSS in MiB of that process, and its stdout.

    Output goes to files, not pipes: a chatty child would otherwise fill the pipe and wait for ever."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        process = subprocess.Popen(args, cwd=BASE_DIR, env=env, stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        out.seek(0), err.seek(0)
        stdout, stderr = out.read(), err.read()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{' '.join(args)} failed:\n{stdout}\n{stderr[-5000:]}")
    return elapsed, usage.ru_maxrss // 1024, stdout


def html_pages(root: Path) -> int:
    return sum(1 for path in root.rglob("*.html") if path.name == "index.html")


def measure(size: int, with_peer: bool) -> dict:
    listings = max(1, size // 10)
    with tempfile.TemporaryDirectory(prefix="siar-bench-sitegen-") as var_dir:
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CELERY_BROKER_URL")}
        env.update(DJANGO_SETTINGS_MODULE="siar.settings.dev", SIAR_VAR_DIR=var_dir, PYTHONPATH=str(BASE_DIR))
        run(env, PYTHON, "manage.py", "migrate", "--verbosity", "0")
        seed_seconds, _, _ = run(env, PYTHON, "bench/sitegen_seed.py", str(size), str(listings))
        run(env, PYTHON, "manage.py", "build_site")  # warm-up: makes the image renditions both tools use
        full_seconds, full_rss, _ = run(env, PYTHON, "manage.py", "build_site")
        site = Path(var_dir) / "site" / "current"
        pages = html_pages(site.resolve())
        files = sum(1 for path in site.resolve().rglob("*") if path.is_file())
        _, _, out = run(env, PYTHON, "-c", PUBLISH_ONE.format(base=str(BASE_DIR)))
        publish_seconds, live_seconds, written, reused = out.split()
        result = {
            "size": size,
            "listings": listings,
            "seed": seed_seconds,
            "pages": pages,
            "files": files,
            "full": full_seconds,
            "full_rss": full_rss,
            "publish": float(publish_seconds),
            "to_live": float(live_seconds),
            "written": int(written),
            "reused": int(reused),
        }
        if with_peer:
            peer_env = {**env, "DJANGO_SETTINGS_MODULE": "bench.peer_settings"}
            out_dir = Path(var_dir) / "distill"
            seconds, rss, _ = run(
                peer_env,
                PYTHON,
                "-W",
                "ignore",
                "manage.py",
                "distill-local",
                str(out_dir),
                "--force",
                "--quiet",
                "--exclude-staticfiles",
            )
            result.update(peer=seconds, peer_rss=rss, peer_pages=html_pages(out_dir))
        return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--no-peer", action="store_true")
    args = parser.parse_args()
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} cores, SQLite (embedded default); times are wall clock")
    for size in (int(s) for s in args.sizes.split(",")):
        r = measure(size, not args.no_peer)
        print(f"\n== {r['size']} news items, {r['listings']} listings (seeded in {r['seed']:.1f} s)")
        print(
            f"Siar full build       {r['full']:7.1f} s  {r['pages']:6d} pages ({r['files']} files)  "
            f"{r['pages'] / r['full']:6.0f} pages/s  peak {r['full_rss']} MiB"
        )
        print(
            f"Publish one → live    {r['publish'] + r['to_live']:7.2f} s  (publish {r['publish']:.2f} s + "
            f"incremental build {r['to_live']:.2f} s: {r['written']} files rendered, {r['reused']} reused)"
        )
        if "peer" in r:
            print(
                f"django-distill        {r['peer']:7.1f} s  {r['peer_pages']:6d} pages  "
                f"{r['peer_pages'] / r['peer']:6.0f} pages/s  peak {r['peer_rss']} MiB"
            )
            ratio = (r["pages"] / r["full"]) / (r["peer_pages"] / r["peer"])
            print(f"Ratio (pages/s, Siar ÷ distill): {ratio:.1f}×  (target ≥ 10×)")


if __name__ == "__main__":
    main()
