"""Backup and restore of a whole installation: the database (Django's ``dumpdata``, portable
between SQLite and PostgreSQL) and the stored files, in one zip with a manifest of sha256s.

::

    manifest.json   format, time, row counts per model, sha256 and size of every member
    data.json       dumpdata of every table but content types, permissions, sessions and the
                    login-throttling log (the target installation makes its own)
    files/...       the stored notices and attachments, paths as under MEDIA_ROOT

``restore`` checks every sha256 before it changes anything, refuses a database that holds data
unless told ``force``, loads the rows in one transaction and compares the row counts.
"""

from __future__ import annotations

import hashlib
import io
import json
import tempfile
import zipfile
from datetime import datetime
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

FORMAT = "luoshi-backup/1"
EXCLUDE = ["contenttypes", "auth.permission", "sessions", "axes"]


class BackupError(Exception):
    pass


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _models():
    skip_apps = {"contenttypes", "sessions", "axes"}
    for model in apps.get_models():
        meta = model._meta
        if meta.app_label in skip_apps or (meta.app_label, meta.model_name) == (
            "auth",
            "permission",
        ):
            continue
        if meta.proxy or not meta.managed:
            continue
        yield model


def row_counts() -> dict[str, int]:
    return {m._meta.label: m._default_manager.count() for m in _models()}


def media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    if not root.exists():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file())


def backup(target: Path) -> dict:
    """Write the backup zip to ``target``; returns the manifest."""
    out = io.StringIO()
    call_command(
        "dumpdata",
        exclude=EXCLUDE,
        natural_foreign=True,
        natural_primary=True,
        indent=None,
        stdout=out,
    )
    data = out.getvalue().encode("utf-8")
    root = Path(settings.MEDIA_ROOT)
    manifest = {
        "format": FORMAT,
        "created": timezone.now().isoformat(),
        "database": connection.vendor,
        "counts": row_counts(),
        "members": {"data.json": {"sha256": _sha256(data), "size": len(data)}},
    }
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".part")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("data.json", data)
        for path in media_files():
            body = path.read_bytes()
            name = "files/" + path.relative_to(root).as_posix()
            zf.writestr(name, body)
            manifest["members"][name] = {"sha256": _sha256(body), "size": len(body)}
        zf.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1))
    tmp.replace(target)
    return manifest


def _migrate() -> None:
    """Bring the schema up to date (a fresh installation's database may be bare)."""
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        call_command("migrate", interactive=False, verbosity=0)


def default_name() -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    return Path(settings.DATA_DIR) / "backups" / f"luoshi-{stamp}.zip"


def database_is_empty() -> bool:
    from luoshi_web.documents.models import Document, Unit

    return not (
        get_user_model().objects.exists() or Document.objects.exists() or Unit.objects.exists()
    )


def flush() -> None:
    """Empty every table. Inside a transaction PostgreSQL refuses to TRUNCATE a table with
    deferred foreign-key checks pending: run them first."""
    in_transaction = connection.vendor == "postgresql" and connection.in_atomic_block
    if in_transaction:
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0)
    if in_transaction:  # back to deferred checks: loaddata inserts rows in any order
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def restore(source: Path, *, force: bool = False) -> dict:
    """Restore a backup zip into this installation's database and file store."""
    try:
        zf = zipfile.ZipFile(source)
    except (OSError, zipfile.BadZipFile) as exc:
        raise BackupError(f"{source}: not a backup zip ({exc})") from exc
    with zf:
        try:
            manifest = json.loads(zf.read("manifest.json"))
        except (KeyError, ValueError) as exc:
            raise BackupError(f"{source}: no readable manifest.json") from exc
        if manifest.get("format") != FORMAT:
            raise BackupError(f"{source}: unknown backup format {manifest.get('format')!r}")
        members = manifest.get("members", {})
        names = set(zf.namelist()) - {"manifest.json"}
        if names != set(members):
            raise BackupError(f"{source}: the members do not match the manifest")
        bodies = {}
        for name, meta in members.items():
            body = zf.read(name)
            if _sha256(body) != meta["sha256"]:
                raise BackupError(f"{source}: {name} is damaged (sha256 differs)")
            bodies[name] = body
    _migrate()
    if not database_is_empty():
        if not force:
            raise BackupError("the database is not empty: restore into an empty one, or --force")
        flush()
    root = Path(settings.MEDIA_ROOT)
    written: list[Path] = []
    try:
        for name, body in bodies.items():
            if not name.startswith("files/"):
                continue
            relative = Path(name[len("files/") :])
            if relative.is_absolute() or ".." in relative.parts:
                raise BackupError(f"{source}: unsafe path {name}")
            path = root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(body)
            written.append(path)
        with tempfile.TemporaryDirectory() as tmp:
            data = Path(tmp) / "data.json"
            data.write_bytes(bodies["data.json"])
            with transaction.atomic():
                call_command("loaddata", str(data), verbosity=0)
                counts = row_counts()
                expected = manifest.get("counts", {})
                wrong = {k: (v, counts.get(k)) for k, v in expected.items() if counts.get(k) != v}
                if wrong:
                    raise BackupError(f"row counts differ after restore: {wrong}")
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    return manifest
