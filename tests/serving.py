"""`gatehouse serve` started by a test: a free port, and waiting until its log says the app is up.

The process must be started with stderr=subprocess.PIPE and text=True; the log is read (and the pipe
kept drained) by a thread.
"""

from __future__ import annotations

import queue
import socket
import subprocess
import threading


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_startup(process: subprocess.Popen, workers: int = 1, timeout: float = 120) -> list[str]:
    """Read the server's log until it serves (or ends). One process binds its port after the app's start-up
    and then says "Uvicorn running on"; with several workers the supervisor binds first and each worker
    then says "Application startup complete". Returns the whole log, which keeps growing until the server ends."""
    lines: queue.Queue[str | None] = queue.Queue()
    whole_log: list[str] = []

    def read_log() -> None:
        for line in process.stderr:
            whole_log.append(line)
            lines.put(line)
        lines.put(None)

    threading.Thread(target=read_log, daemon=True).start()  # also keeps the pipe drained afterwards
    sign = "Uvicorn running on" if workers == 1 else "Application startup complete"
    started, log = 0, []
    while started < workers:
        line = lines.get(timeout=timeout)
        if line is None:
            raise RuntimeError("the server ended:\n" + "".join(log))
        log.append(line)
        started += sign in line
    return whole_log
