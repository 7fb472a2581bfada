"""Benchmark: Siar's static build against the peer a Wagtail user would reach for (django-distill), same content.

Usage: .venv/bin/python bench/sitegen.py [--sizes 1000,10000] [--no-peer]

For each size N (news items; listings = N/10) in a scratch SIAR_VAR_DIR on SQLite (the embedded default):
  1. seed N published, verified news and N/10 listings (bench/sitegen_seed.py), and warm the image renditions
     with one build, so neither tool pays for resizing images;
  2. `manage.py build_site` (full): wall time, pages per second, peak memory of the build process;
  3. fill the ring of kept releases (SIAR_SITE_KEEP_RELEASES incremental builds, as a running site has), then in
     one process publish a new item the way the admin does (revision, verdict, publish) and build incrementally,
     four times: the time from the publish call until the new release is live (median of the last three; the
     first pays for a fresh process's warm-up), and how many files were rendered;
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

PUBLISH = """
import time, sys
sys.path.insert(0, {base!r})
import django; django.setup()
from cms.models import NewsIndexPage, NewsPage, NewsCategory
from cms.services.verification import EvidenceItem, verdict_record
from django.contrib.auth import get_user_model
from sitegen.build import site_build
index = NewsIndexPage.objects.get()
verifier = get_user_model().objects.get(username="verifikator-bench")
for number in range({count}):
    start = time.perf_counter()
    page = index.add_child(instance=NewsPage(title=f"Berita Baru Untuk Diukur {{number}}",
        slug=f"berita-baru-{{number}}", lead="Satu berita baru.", body=[("paragraph", "<p>Isi.</p>")], live=False))
    page.categories.set([NewsCategory.objects.first()])
    revision = page.save_revision()
    verdict_record(revision=revision, verifier=verifier, verdict="true", category="",
        evidence=[EvidenceItem(text="Dicek.")])
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
        for _ in range(5):  # a running site has its kept releases: a build recycles the oldest (sitegen.releases)
            run(env, PYTHON, "manage.py", "build_site", "--incremental")
        # One process publishes four items in turn, as the worker of a running site builds after each: the first
        # build in a fresh process also pays for loading templates and URL routes; the others are the steady state.
        _, _, out = run(env, PYTHON, "-c", PUBLISH.format(base=str(BASE_DIR), count=4))
        publishes = [(float(a), float(b), int(c), int(d)) for a, b, c, d in (line.split() for line in out.splitlines())]
        cold, warm = publishes[0], publishes[1:]
        publish_seconds, live_seconds, written, reused = sorted(warm, key=lambda p: p[0] + p[1])[1]  # median
        result = {
            "size": size,
            "listings": listings,
            "seed": seed_seconds,
            "pages": pages,
            "files": files,
            "full": full_seconds,
            "full_rss": full_rss,
            "publish": publish_seconds,
            "to_live": live_seconds,
            "written": written,
            "reused": reused,
            "publishes": [round(p[0] + p[1], 2) for p in warm],
            "cold": cold[0] + cold[1],
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
    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "siar.settings.dev")
    from django.conf import settings  # the build's default number of render processes

    processes = settings.SIAR_SITE_BUILD_PROCESSES
    print(
        f"Python {sys.version.split()[0]}, {os.cpu_count()} cores, SQLite (embedded default), Siar renders in "
        f"{processes} processes (SIAR_SITE_BUILD_PROCESSES), django-distill in one; times are wall clock"
    )
    for size in (int(s) for s in args.sizes.split(",")):
        r = measure(size, not args.no_peer)
        print(f"\n== {r['size']} news items, {r['listings']} listings (seeded in {r['seed']:.1f} s)")
        print(
            f"Siar full build       {r['full']:7.1f} s  {r['pages']:6d} pages ({r['files']} files)  "
            f"{r['pages'] / r['full']:6.0f} pages/s  {r['files'] / r['full']:6.0f} files/s  "
            f"peak {r['full_rss']} MiB (largest of its processes)"
        )
        print(
            f"Publish one → live    {r['publish'] + r['to_live']:7.2f} s  (publish {r['publish']:.2f} s + "
            f"incremental build {r['to_live']:.2f} s: {r['written']} files rendered, {r['reused']} kept or reused; "
            f"median of {r['publishes']}; the first in a fresh process: {r['cold']:.2f} s)"
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
