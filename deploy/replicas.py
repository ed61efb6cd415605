"""Several Streamlit server processes behind nginx, on one database (issue #22 §2).

    DATABASE_URL=postgresql://crm@db/crm python deploy/replicas.py [--replicas 2] [--port 8500]
                                                                   [--replica-port 8501] [--runtime DIR]

Migrates the database once (so the replicas never race to migrate it), starts ``--replicas``
processes of ``python -m streamlit run app.py`` on 127.0.0.1, ports ``--replica-port`` upwards, all
with the same ``DATABASE_URL`` and the same cookie secret, waits until each answers its health check
(``/_stcore/health``), writes ``nginx.conf`` from ``deploy/nginx.conf.template`` into the runtime
folder (a new temporary folder unless ``--runtime``) and runs Debian's nginx in the foreground with
that folder as its prefix: nothing under /etc/nginx is read or changed, and no root is needed for a
port above 1023. Open ``http://HOST:--port``. Ctrl-C (or SIGTERM) stops nginx and the replicas;
if nginx stops, the replicas stop too. A replica that dies is left out by nginx (passive failover)
and reported here; it is not restarted (leave that to systemd or whatever runs this script).

The tests and ``bench/bench_replicas.py`` use :func:`running`.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "deploy" / "nginx.conf.template"
NGINX_TEMP = ("body", "proxy", "fastcgi", "uwsgi", "scgi")
STARTUP_SECONDS = 120


@dataclass
class Deployment:
    """What :func:`running` started: the proxy's address, each replica's own address and process."""

    proxy: str
    runtime: Path
    replicas: list[str] = field(default_factory=list)
    processes: list[subprocess.Popen] = field(default_factory=list)
    nginx: subprocess.Popen | None = None

    def kill(self, index: int) -> None:
        """SIGKILL one replica, as a crash would end it (no clean shutdown)."""
        self.processes[index].kill()
        self.processes[index].wait(timeout=20)

    def access_log(self) -> list[str]:
        """The proxy's access log: one line per request with its route and the replica(s) it went to."""
        log = self.runtime / "access.log"
        return log.read_text(errors="replace").splitlines() if log.exists() else []


def nginx_binary() -> str | None:
    """Debian's nginx (in /usr/sbin, which is not on every user's PATH), or None."""
    return shutil.which("nginx") or ("/usr/sbin/nginx" if os.access("/usr/sbin/nginx", os.X_OK) else None)


def nginx_config(runtime: Path, listen: str, ports: list[int]) -> str:
    """The proxy's configuration: the template with the runtime folder, listen address and replicas filled in."""
    servers = "\n".join(f"        server 127.0.0.1:{port} max_fails=1 fail_timeout=10s;" for port in ports)
    return (TEMPLATE.read_text().replace("{{runtime}}", str(runtime)).replace("{{listen}}", listen)
            .replace("{{servers}}", servers))


def _prepare_runtime(runtime: Path) -> None:
    """The runtime folder with nginx's temporary folders. When run as root, nginx's workers run as
    ``nobody``: they must be able to reach and write them."""
    runtime.mkdir(parents=True, exist_ok=True)
    for name in NGINX_TEMP:
        (runtime / "tmp" / name).mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        runtime.chmod(0o755)
        (runtime / "tmp").chmod(0o755)
        for name in NGINX_TEMP:
            (runtime / "tmp" / name).chmod(0o1777)


def wait_until_healthy(url: str, process: subprocess.Popen, seconds: float = STARTUP_SECONDS) -> None:
    """Until ``url``/_stcore/health answers ok; fails at once if ``process`` exits."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[:3]}… exited with {process.returncode} before {url} answered")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise TimeoutError(f"{url} did not answer its health check within {seconds:.0f} s")


def start_replica(port: int, env: dict[str, str], log: Path, app_root: Path = ROOT) -> subprocess.Popen:
    """One ``streamlit run app.py`` on 127.0.0.1:``port`` (its output to ``log``)."""
    with open(log, "w") as out:
        return subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
                                 "--server.address", "127.0.0.1", "--server.headless", "true"],
                                cwd=app_root, env=env, stdout=out, stderr=subprocess.STDOUT)


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=20)


@contextlib.contextmanager
def running(database_url: str, replicas: int, port: int, replica_ports: list[int] | None = None,
            runtime: Path | None = None, app_root: Path = ROOT, listen_host: str = "127.0.0.1") -> Iterator[Deployment]:
    """``replicas`` app servers on ``database_url`` (already migrated) and nginx on ``listen_host:port``
    in front of them, up and answering; everything stopped on leaving. ``app_root`` is the checkout
    whose app.py the replicas run (the bench compares an older one)."""
    binary = nginx_binary()
    if binary is None:
        raise FileNotFoundError("nginx is not installed (Debian: apt-get install nginx)")
    ports = replica_ports or list(range(port + 1, port + 1 + replicas))
    runtime = Path(runtime or tempfile.mkdtemp(prefix="crm-replicas-"))
    _prepare_runtime(runtime)
    env = {**os.environ, "DATABASE_URL": database_url, "PYTHONUNBUFFERED": "1",
           "STREAMLIT_SERVER_COOKIE_SECRET": os.environ.get("STREAMLIT_SERVER_COOKIE_SECRET", secrets.token_hex(32))}
    deployment = Deployment(proxy=f"http://127.0.0.1:{port}" if listen_host in ("127.0.0.1", "0.0.0.0")
                            else f"http://{listen_host}:{port}", runtime=runtime)
    try:
        for number, replica_port in enumerate(ports[:replicas]):
            deployment.processes.append(start_replica(replica_port, env, runtime / f"replica-{number}.log", app_root))
            deployment.replicas.append(f"http://127.0.0.1:{replica_port}")
        for url, process in zip(deployment.replicas, deployment.processes):
            wait_until_healthy(url, process)
        (runtime / "nginx.conf").write_text(nginx_config(runtime, f"{listen_host}:{port}", ports[:replicas]))
        deployment.nginx = subprocess.Popen([binary, "-p", str(runtime), "-c", str(runtime / "nginx.conf"),
                                             "-e", str(runtime / "error.log")],
                                            stdout=subprocess.DEVNULL, stderr=open(runtime / "nginx.out", "w"))
        wait_until_healthy(deployment.proxy, deployment.nginx, 20)
        yield deployment
    finally:
        for process in [deployment.nginx, *deployment.processes]:
            if process is not None:
                _stop(process)


def _serve(deployment: Deployment) -> int:
    """Until Ctrl-C, SIGTERM or nginx's end; reports a replica that dies. Returns the exit status."""
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(True))
    reported: set[int] = set()
    try:
        while not stop and deployment.nginx.poll() is None:
            for number, process in enumerate(deployment.processes):
                if process.poll() is not None and number not in reported:
                    reported.add(number)
                    print(f"replica {deployment.replicas[number]} exited with {process.returncode}; nginx leaves it out "
                          f"(see {deployment.runtime}/replica-{number}.log)", flush=True)
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    return 0 if stop or deployment.nginx.poll() is None else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicas", type=int, default=2, help="app server processes (default 2)")
    parser.add_argument("--port", type=int, default=8500, help="the proxy's port (default 8500)")
    parser.add_argument("--replica-port", type=int, default=None, help="the first replica's port (default --port + 1)")
    parser.add_argument("--listen", default="127.0.0.1", help="the proxy's address (0.0.0.0: every interface)")
    parser.add_argument("--runtime", type=Path, default=None, help="folder for nginx.conf, logs and pid (default: a new temporary one)")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from data.bootstrap import prepare_database
    from ui.core.cache import database_url

    url = database_url()
    if not url.startswith("postgresql"):
        print(f"warning: {url} is not PostgreSQL; several processes on one SQLite file queue for every write",
              file=sys.stderr)
    prepare_database(url).dispose()
    first = args.replica_port or args.port + 1
    with running(url, max(1, args.replicas), args.port, list(range(first, first + max(1, args.replicas))),
                 args.runtime, listen_host=args.listen) as deployment:
        print(f"nginx at http://{args.listen}:{args.port} → replicas {', '.join(deployment.replicas)}; "
              f"logs and nginx.conf in {deployment.runtime}", flush=True)
        return _serve(deployment)


if __name__ == "__main__":
    sys.exit(main())
