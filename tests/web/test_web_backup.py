"""``luoshi-web backup`` → ``restore`` round-trips the whole database and the files."""

from __future__ import annotations

import hashlib
import json
import shutil
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from luoshi_web.documents.models import Document, Task
from luoshi_web.operations.backup import BackupError, flush, restore, row_counts
from luoshi_web.tracking import actions
from luoshi_web.tracking.models import Attachment, ProgressReport

pytestmark = pytest.mark.django_db


def file_hashes() -> dict[str, str]:
    root = Path(settings.MEDIA_ROOT)
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in root.rglob("*")
        if p.is_file()
    }


def test_backup_and_restore_round_trip_rows_history_and_files(
    people, task, period, data, tmp_path, settings
):
    document = Document.objects.get(year=2024)
    # the document's file, copied into this test's own file store
    source = Path(document.source_file.path)
    settings.MEDIA_ROOT = tmp_path / "files"
    (settings.MEDIA_ROOT / Path(document.source_file.name).parent).mkdir(parents=True)
    shutil.copy(source, settings.MEDIA_ROOT / document.source_file.name)
    upload = SimpleUploadedFile("说明.txt", "附件".encode(), "text/plain")
    actions.file_report(
        people.participant, task, period, data(attachments=[upload]), 0, submit=True
    )
    actions.consolidate(people.lead_unit, task, period, data(), 0, submit=True)

    counts, hashes = row_counts(), file_hashes()
    assert len(hashes) == 2
    target = tmp_path / "backup.zip"
    call_command("backup", str(target))
    manifest = json.loads(zipfile.ZipFile(target).read("manifest.json"))
    assert manifest["counts"] == counts

    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(target))

    # a fresh installation: an empty database, an empty file store
    flush()
    shutil.rmtree(settings.MEDIA_ROOT)
    assert not Task.objects.exists()
    call_command("restore", str(target))

    assert row_counts() == counts
    assert file_hashes() == hashes
    report = ProgressReport.objects.get(task__number=3, unit__registry_id="zj-drc")
    assert report.history.count() == 1
    assert report.history.get().history_user.username == "participant"
    assert Attachment.objects.get().file.read() == "附件".encode()
    assert people.office.__class__.objects.get(username="office").check_password(
        "correct-horse-battery-staple"
    )


def test_restore_refuses_a_damaged_backup(people, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "files"
    target = tmp_path / "backup.zip"
    call_command("backup", str(target))
    damaged = tmp_path / "damaged.zip"
    with zipfile.ZipFile(target) as src, zipfile.ZipFile(damaged, "w") as dst:
        for item in src.infolist():
            body = src.read(item)
            if item.filename == "data.json":
                body = body.replace(b"office", b"offize", 1)
            dst.writestr(item, body)
    with pytest.raises(BackupError, match="damaged"):
        restore(damaged, force=True)
    assert people.office.__class__.objects.filter(username="office").exists()
