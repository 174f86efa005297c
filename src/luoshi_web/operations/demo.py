"""Demo data for ``make run``: the unit registry, the bundled sample notices, and one account for
the office, each leader and each unit that has a task, with passwords in a CSV file.

Running it again duplicates nothing: a notice already imported (same sha256) is skipped, and an
account that exists keeps its password (read back from the CSV).
"""

from __future__ import annotations

import csv
import os
import secrets
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from luoshi_web.accounts.models import Profile
from luoshi_web.documents.importing import already_imported, import_notice, read_upload
from luoshi_web.documents.models import Leader, Unit

CSV_FIELDS = ["username", "password", "role", "unit", "leader"]


def sample_notices() -> list[Path]:
    """The notices bundled with the library, oldest first."""
    folder = resources.files("luoshi") / "samples"
    return sorted(
        (Path(str(p)) for p in folder.iterdir() if "-notice" in p.name),
        key=lambda p: p.name,
    )


def accounts_csv() -> Path:
    return Path(settings.DATA_DIR) / "demo-accounts.csv"


@dataclass
class Account:
    username: str
    role: str
    unit: Unit | None = None
    leader: Leader | None = None
    name: str = ""
    password: str = ""


def wanted_accounts() -> list[Account]:
    accounts = [Account("office", Profile.OFFICE, name="督查室")]
    taken = {
        p.leader_id: p.user.username
        for p in Profile.objects.filter(role=Profile.LEADER).select_related("user")
    }
    used = set(taken.values())
    number = 0
    for leader in Leader.objects.order_by("pk"):
        username = taken.get(leader.pk)
        if username is None:
            while True:
                number += 1
                username = f"leader-{number:02d}"
                if username not in used:
                    break
            used.add(username)
        accounts.append(Account(username, Profile.LEADER, leader=leader, name=leader.name))
    units = (
        Unit.objects.filter(assignments__kind="unit", assignments__retired=False)
        .distinct()
        .order_by("registry_id")
    )
    for unit in units:
        accounts.append(
            Account(f"unit-{unit.registry_id}", Profile.UNIT, unit=unit, name=unit.name)
        )
    return accounts


def read_passwords(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    with path.open(newline="", encoding="utf-8") as fh:
        return {
            row["username"]: row["password"] for row in csv.DictReader(fh) if row.get("password")
        }


def ensure_accounts() -> tuple[list[Account], int]:
    """Create the missing demo accounts; returns every demo account (with its password) and
    how many were created or given a new password."""
    User = get_user_model()
    path = accounts_csv()
    known = read_passwords(path)
    accounts = wanted_accounts()
    existing = {
        u.username: u for u in User.objects.filter(username__in=[a.username for a in accounts])
    }
    to_hash: list[Account] = []
    for account in accounts:
        user = existing.get(account.username)
        password = known.get(account.username)
        if user is not None and password:
            # Trusted without check_password: verifying 200 PBKDF2 hashes takes a minute.
            account.password = password
        else:
            account.password = secrets.token_urlsafe(9)
            to_hash.append(account)
    # Hashing is the slow part (PBKDF2, ~0.2 s each): spread it over the cores.
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        hashes = list(pool.map(lambda a: make_password(a.password), to_hash))
    with transaction.atomic():
        for account, hashed in zip(to_hash, hashes, strict=True):
            user = existing.get(account.username)
            if user is None:
                user = User.objects.create(
                    username=account.username, first_name=account.name[:150], password=hashed
                )
                Profile.objects.create(
                    user=user, role=account.role, unit=account.unit, leader=account.leader
                )
            else:
                user.password = hashed
                user.save(update_fields=["password"])
    write_csv(path, accounts)
    return accounts, len(to_hash)


def write_csv(path: Path, accounts: list[Account]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(CSV_FIELDS)
        for a in accounts:
            writer.writerow(
                [
                    a.username,
                    a.password,
                    a.role,
                    a.unit.name if a.unit else "",
                    a.leader.name if a.leader else "",
                ]
            )
    tmp.replace(path)


def import_samples(write=print) -> int:
    imported = 0
    for path in sample_notices():
        upload = read_upload(path)
        if already_imported(upload.sha256) is not None:
            continue
        document = import_notice(upload, None)
        imported += 1
        write(f"imported {path.name}: {document} ({document.year})")
    return imported
