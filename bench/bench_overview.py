"""The office overview's cost per request, in-process: `python bench/bench_overview.py DATA_DIR`.

DATA_DIR is a data directory holding a generated database (``bench/scale/generate.py`` with
``LUOSHI_DATA_DIR=DATA_DIR``, or what ``bench/scale/run.py --db sqlite --keep`` left in
``<dir>/data``). The office's ``GET /supervision/?doc=`` goes through the whole Django stack
(middleware, view, templates) with the test client, for this year's documents in turn; CPU time
(``time.process_time``) and wall time are taken per request and printed as p50 / p95, with the
size of the page. ``--documents 3000`` first adds documents without tasks until there are that
many (the filter then lists as many notices as at 1,000,000 tasks, while each document still has
~333 tasks as there) — inside a transaction that is rolled back: the database is left as found.

    LUOSHI_DATA_DIR=/tmp/x/data .venv/bin/python bench/scale/generate.py --tasks 100000
    .venv/bin/python bench/bench_overview.py /tmp/x/data --documents 3000
"""

from __future__ import annotations

import argparse
import copy
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def pad_documents(total: int) -> int:
    """Copies of existing documents (new id, sha256 and number; no parts, tasks or periods)
    until there are ``total``; returns how many were added."""
    from luoshi_web.documents.models import Document

    have = Document.objects.count()
    models = list(Document.objects.order_by("id"))
    added = []
    for n in range(max(0, total - have)):
        d = copy.copy(models[n % len(models)])
        d.pk = None
        d.sha256 = f"{n:064x}"
        d.doc_number = f"{d.doc_number}-{n}"
        added.append(d)
    Document.objects.bulk_create(added, batch_size=500)
    return len(added)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data_dir")
    parser.add_argument("--documents", type=int, default=0, help="pad to this many documents")
    parser.add_argument("--rounds", type=int, default=60, help="measured requests")
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--partial", action="store_true", help="the htmx body only")
    parser.add_argument("--profile", action="store_true", help="print cProfile's top functions")
    args = parser.parse_args(argv)

    os.environ["LUOSHI_DATA_DIR"] = str(Path(args.data_dir).resolve())
    os.environ.setdefault("SECRET_KEY", "bench-overview-" + "x" * 40)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luoshi_web.settings")
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("LUOSHI_DEBUG", None)
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.utils import timezone

    from luoshi_web.documents.models import Document, Task

    setup_test_environment()  # the test client's host
    year = timezone.localdate().year
    with transaction.atomic():
        added = pad_documents(args.documents) if args.documents else 0
        docs = list(
            Document.objects.filter(
                year=year, pk__in=Task.objects.values("section__part__document")
            ).values_list("pk", flat=True)[:20]
        )
        client = Client()
        client.force_login(get_user_model().objects.get(username="office"))
        headers = {"HX-Request": "true"} if args.partial else {}
        cpu, wall, sizes = [], [], []
        profile = cProfile.Profile() if args.profile else None
        for i in range(args.warmup + args.rounds):
            if profile is not None and i == args.warmup:
                profile.enable()
            url = f"/supervision/?doc={docs[i % len(docs)]}"
            c0, w0 = time.process_time(), time.perf_counter()
            response = client.get(url, headers=headers)
            c1, w1 = time.process_time(), time.perf_counter()
            assert response.status_code == 200, (url, response.status_code)
            if i >= args.warmup:
                cpu.append((c1 - c0) * 1000)
                wall.append((w1 - w0) * 1000)
                sizes.append(len(response.content))
        if profile is not None:
            profile.disable()
        transaction.set_rollback(True)
    print(
        f"overview{' (htmx body)' if args.partial else ''}: "
        f"{Document.objects.count() + added} documents ({added} added), {len(docs)} of {year} "
        f"measured {args.rounds}×"
    )
    print("| | p50 | p95 |")
    print("|---|---|---|")
    print(f"| CPU ms | {percentile(cpu, 50):.1f} | {percentile(cpu, 95):.1f} |")
    print(f"| wall ms | {percentile(wall, 50):.1f} | {percentile(wall, 95):.1f} |")
    print(f"| page KB | {statistics.median(sizes) / 1024:.0f} | {max(sizes) / 1024:.0f} |")
    if profile is not None:
        pstats.Stats(profile).sort_stats("cumulative").print_stats(40)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
