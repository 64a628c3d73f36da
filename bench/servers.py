"""Local servers for the crash and load benchmarks: databases, gunicorn, `encore worker`, SMTP.

Everything listens on 127.0.0.1 and lives in a temporary directory; every wait is bounded.
Used by bench/crash.py and bench/load.py (not a benchmark itself).
"""

from __future__ import annotations

import contextlib
import email.parser
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from random import Random
from typing import Any

import requests
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))

PG_ADMIN = "postgresql://encore:encore@127.0.0.1:5432/encore_test"
PG_URL = "postgresql+psycopg://encore:encore@127.0.0.1:5432/{name}"
API_KEY = "bench-client-id"
API_SECRET = "bench-client-secret-0123456789"
SHOP = "bench-grocer.myshopify.com"
# The production gunicorn settings when another change has added them; else the factory form.
GUNICORN_CONF = ROOT / "gunicorn.conf.py"
WSGI_MODULE = ROOT / "plugin" / "wsgi.py"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def machine_load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"


# --- databases -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Database:
    kind: str  # "sqlite" or "postgresql"
    url: str
    name: str

    @property
    def label(self) -> str:
        return "SQLite" if self.kind == "sqlite" else "PostgreSQL 15"


def sqlite_database(directory: Path) -> Database:
    path = directory / "encore.db"
    return Database("sqlite", f"sqlite:///{path}", str(path))


def postgres_database(prefix: str) -> Database | str:
    """A fresh database on the local server, or the reason there is none."""
    try:
        import psycopg

        name = f"{prefix}_{os.getpid()}"
        with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=3) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
            connection.execute(f'CREATE DATABASE "{name}"')
    except Exception as exc:  # no server, no role: the run says why and goes on
        return f"PostgreSQL unreachable at 127.0.0.1:5432 ({type(exc).__name__}: {exc})"
    return Database("postgresql", PG_URL.format(name=name), name)


def drop_database(database: Database) -> None:
    if database.kind != "postgresql":
        return
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=3) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{database.name}" WITH (FORCE)')


# --- configuration ---------------------------------------------------------------------------


def encore_config(database: Database, **overrides: Any) -> dict[str, str]:
    """The configuration every process of one run shares (servers get it as environment)."""
    config = {
        "ENV": "production",
        "DATABASE_URL": database.url,
        "SECRET_KEY": "bench-secret-key-" + "x" * 32,
        "ENCRYPTION_KEY": Fernet.generate_key().decode(),
        "SHOPIFY_API_KEY": API_KEY,
        "SHOPIFY_API_SECRET": API_SECRET,
        "APP_URL": "http://127.0.0.1:8000",
        "JOBS_BACKEND": "db",
        "HOLDOUT_SHARE": "0",
        "RATELIMIT_ENABLED": "false",
    }
    config.update({key: str(value) for key, value in overrides.items()})
    return config


def environment(config: Mapping[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ENCORE_", "FLASK_"))}
    env.update(config)
    env["PYTHONUNBUFFERED"] = "1"
    return env


def migrate(config: Mapping[str, str], log: Path) -> None:
    """`encore db upgrade`, as an operator deploys."""
    with log.open("ab") as out:
        subprocess.run(
            [str(BIN / "encore"), "db", "upgrade"],
            env=environment(config),
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            check=True,
            timeout=300,
        )


def open_app(config: Mapping[str, str]) -> Any:
    """The Encore app in this process, on the run's database (to arrange and to check)."""
    from plugin import create_app

    mapping: dict[str, Any] = dict(config)
    mapping["HOLDOUT_SHARE"] = float(config["HOLDOUT_SHARE"])
    return create_app(mapping)


def install_shopify_store(app: Any, settings: dict[str, Any] | None = None) -> int:
    """A Shopify store installed as the OAuth callback leaves it (no token: no Admin API)."""
    from plugin.models import Store, utcnow

    with app.extensions["encore_db"].new_session() as db:
        store = Store(
            platform="shopify",
            domain=SHOP,
            name="Bench Grocer",
            installed_at=utcnow(),
            settings=settings or {},
        )
        db.add(store)
        db.commit()
        return int(store.id)


# --- processes -------------------------------------------------------------------------------


def children_of(pid: int) -> list[int]:
    """Live child processes of `pid` (from /proc; zombies are not counted)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # "pid (comm) state ppid ...": comm may hold spaces, so split after the last ')'.
        state, ppid = stat.rsplit(")", 1)[1].split()[:2]
        if int(ppid) == pid and state != "Z":
            found.append(int(entry.name))
    return sorted(found)


def is_alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def wait_gone(pids: list[int], seconds: float) -> list[int]:
    """Wait until none of `pids` runs; returns those still running when time is up."""
    deadline = time.monotonic() + seconds
    alive = [pid for pid in pids if is_alive(pid)]
    while alive and time.monotonic() < deadline:
        time.sleep(0.1)
        alive = [pid for pid in alive if is_alive(pid)]
    return alive


def kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


def gunicorn_command(port: int, app: str = "encore", workers: int | None = None) -> list[str]:
    """gunicorn as production runs it: the project's config file when present.

    `app` is "encore" or "bare" (bench/bare_app.py under the same settings).
    """
    command = [str(BIN / "gunicorn"), "--bind", f"127.0.0.1:{port}", "--chdir", str(ROOT)]
    use_conf = GUNICORN_CONF.exists() and WSGI_MODULE.exists()
    if use_conf:
        command += ["-c", str(GUNICORN_CONF)]
    if workers is not None or not use_conf:
        command += ["--workers", str(workers or 2), "--threads", "4"]
    if app == "bare":
        return [*command, "--pythonpath", str(ROOT / "bench"), "bare_app:app"]
    return [*command, "plugin.wsgi:app" if use_conf else "plugin:create_app()"]


@dataclass
class WebServer:
    """One gunicorn master and its workers; can be killed and restarted."""

    command: list[str]
    env: dict[str, str]
    port: int
    log: Path
    process: subprocess.Popen[bytes] | None = None
    orphans_killed: int = 0
    failed_starts: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, wait: bool = True) -> None:
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                self.command,
                env=self.env,
                cwd=ROOT,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        if wait:
            self.wait_healthy()

    def wait_healthy(self, seconds: float = 60.0) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(
                    f"gunicorn exited ({self.process.returncode}):\n{tail(self.log)}"
                )
            try:
                if requests.get(f"{self.url}/healthz", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn not healthy after {seconds:.0f}s:\n{tail(self.log)}")

    @property
    def master_pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def worker_pids(self) -> list[int]:
        return children_of(self.master_pid)

    def kill_worker(self, rng: Random) -> bool:
        """SIGKILL one web worker (the master starts a new one). False if none was running."""
        workers = self.worker_pids()
        if not workers:
            return False
        kill(rng.choice(workers))
        return True

    def kill_master_and_restart(self) -> None:
        """SIGKILL the master; its orphaned workers notice and exit; then start a new master.

        The new master can only bind the port once the orphans have closed it: they are
        given 15 s to finish their requests, then killed too (counted in `orphans_killed`).
        """
        assert self.process is not None
        workers = self.worker_pids()
        kill(self.master_pid)
        self.process.wait(timeout=10)
        for pid in wait_gone(workers, 15.0):
            kill(pid)
            self.orphans_killed += 1
        wait_gone(workers, 5.0)
        self.restart()

    def restart(self, tries: int = 3) -> None:
        """Start a new master and wait until it answers; a master that could not bind is
        started again (counted in `failed_starts`)."""
        for _ in range(tries):
            self.start(wait=False)
            try:
                self.wait_healthy()
                return
            except RuntimeError:
                if self.process is not None and self.process.poll() is None:
                    raise
                self.failed_starts += 1
        raise RuntimeError(f"gunicorn did not come back after {tries} starts:\n{tail(self.log)}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        workers = self.worker_pids()
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            kill(self.master_pid)
            self.process.wait(timeout=10)
        for pid in wait_gone(workers, 5.0):
            kill(pid)


@dataclass
class JobWorkers:
    """`encore worker` processes (JOBS_BACKEND=db); one can be killed and is restarted."""

    env: dict[str, str]
    count: int
    log: Path
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def _spawn(self) -> subprocess.Popen[bytes]:
        with self.log.open("ab") as out:
            return subprocess.Popen(
                [str(BIN / "encore"), "worker"],
                env=self.env,
                cwd=ROOT,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def start(self) -> None:
        self.processes = [self._spawn() for _ in range(self.count)]

    def kill_one_and_restart(self, rng: Random) -> None:
        index = rng.randrange(len(self.processes))
        victim = self.processes[index]
        kill(victim.pid)
        victim.wait(timeout=10)
        self.processes[index] = self._spawn()

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                kill(process.pid)
                process.wait(timeout=5)


def tail(path: Path, lines: int = 25) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


# --- SMTP ------------------------------------------------------------------------------------

NOTIFICATION_ID = re.compile(r"<encore\.notification\.(\d+)\.")


@dataclass
class MailSink:
    """A local SMTP server that keeps what it was given: (notification id, recipients)."""

    port: int = 0
    received: list[tuple[int | None, tuple[str, ...]]] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _controller: Any = None

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:
        headers = email.parser.BytesHeaderParser().parsebytes(envelope.original_content or b"")
        found = NOTIFICATION_ID.search(headers.get("Message-ID", ""))
        with self._lock:
            self.received.append((int(found.group(1)) if found else None, tuple(envelope.rcpt_tos)))
        return "250 Message accepted"

    def start(self) -> None:
        from aiosmtpd.controller import Controller

        self.port = free_port()
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()

    def messages(self) -> list[tuple[int | None, tuple[str, ...]]]:
        with self._lock:
            return list(self.received)


class ThreadSessions:
    """One persistent HTTP session per client thread (keep-alive, no shared state)."""

    def __init__(self) -> None:
        self._local = threading.local()

    def get(self) -> requests.Session:
        if not hasattr(self._local, "session"):
            self._local.session = requests.Session()
        session: requests.Session = self._local.session
        return session

    def renew(self) -> None:
        """Drop this thread's session after a connection error; the next call opens a new one."""
        self._local.session = requests.Session()
