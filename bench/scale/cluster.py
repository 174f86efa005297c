"""A throwaway PostgreSQL cluster for the scale benchmark, tuned for this machine (2 cores,
24 GB): the way ``scripts/with-postgres`` makes one (Debian's server, a temporary directory
owned by ``postgres`` when we are root, a free loopback port), with settings for a database of
a few GB that should stay in memory.

====================================  ======================================================
setting                               why
====================================  ======================================================
shared_buffers = 6GB                  a quarter of the memory: the hot tables and indexes
effective_cache_size = 16GB           what the page cache holds besides: plans favour indexes
work_mem = 32MB                       sorts and hashes of one query stay in memory
maintenance_work_mem = 1GB            index builds after the bulk load
random_page_cost = 1.1                SSD: a random read costs about a sequential one
max_parallel_workers_per_gather = 2   two cores
jit = off                             JIT compiles for seconds-long analytics; here it only
                                      adds milliseconds to short queries
max_wal_size = 16GB                   no checkpoint in the middle of the load
fsync = off during the load only      turned on (and a CHECKPOINT taken) before measuring:
                                      the filing figures are for durable commits
====================================  ======================================================
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

SETTINGS = {
    "shared_buffers": "6GB",
    "effective_cache_size": "16GB",
    "work_mem": "32MB",
    "maintenance_work_mem": "1GB",
    "random_page_cost": "1.1",
    "effective_io_concurrency": "200",
    "max_parallel_workers_per_gather": "2",
    "max_parallel_maintenance_workers": "2",
    "jit": "off",
    "max_wal_size": "16GB",
    "checkpoint_timeout": "30min",
    "max_connections": "100",
    "listen_addresses": "'127.0.0.1'",
}


def pg_bin() -> Path:
    for candidate in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (candidate / "pg_ctl").exists():
            return candidate
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).resolve().parent
    raise SystemExit("cluster: PostgreSQL is not installed (scripts/with-postgres installs it)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    def __init__(self, base: Path):
        self.bin = pg_bin()
        self.work = Path(tempfile.mkdtemp(prefix="pg-", dir=base))
        self.data = self.work / "data"
        self.port = free_port()
        self.as_root = os.geteuid() == 0
        if self.as_root:
            os.chmod(self.work, 0o755)
            pw = pwd.getpwnam("postgres")
            os.chown(self.work, pw.pw_uid, pw.pw_gid)
            os.chmod(base, 0o755)

    def _run(self, *args, **kwargs):
        cmd = [str(a) for a in args]
        if self.as_root:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        return subprocess.run(cmd, check=True, **kwargs)

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/luoshi"

    def start(self) -> None:
        self._run(
            self.bin / "initdb", "-D", self.data, "-U", "postgres", "-A", "trust", "-E", "UTF8",
            "--locale=C.UTF-8", stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        conf = self.data / "postgresql.conf"
        extra = "".join(f"{k} = {v}\n" for k, v in SETTINGS.items())
        extra += f"port = {self.port}\nunix_socket_directories = '{self.work}'\nfsync = off\n"
        extra += "synchronous_commit = off\nfull_page_writes = off\n"
        with open(conf, "a") as fh:
            fh.write(extra)
        self._run(self.bin / "pg_ctl", "-D", self.data, "-l", self.work / "server.log", "-w", "-t", "120", "start", stdout=subprocess.DEVNULL)  # fmt: skip
        self._run(self.bin / "createdb", "-h", "127.0.0.1", "-p", self.port, "-U", "postgres", "luoshi")  # fmt: skip

    def durable(self) -> None:
        """fsync, synchronous commit and full page writes on again, then a checkpoint."""
        self.psql(
            "ALTER SYSTEM SET fsync = on",
            "ALTER SYSTEM SET synchronous_commit = on",
            "ALTER SYSTEM SET full_page_writes = on",
            "SELECT pg_reload_conf()",
            "CHECKPOINT",
        )

    def psql(self, *statements: str) -> str:
        args = [self.bin / "psql", "-h", "127.0.0.1", "-p", self.port, "-U", "postgres", "-d", "luoshi", "-X", "-q", "-A", "-t"]  # fmt: skip
        for sql in statements:
            args += ["-c", sql]
        return self._run(*args, capture_output=True, text=True).stdout

    def version(self) -> str:
        return self.psql("SHOW server_version").strip()

    def stop(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self._run(self.bin / "pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop", stdout=subprocess.DEVNULL)  # fmt: skip
        shutil.rmtree(self.work, ignore_errors=True)
