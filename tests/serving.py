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
    """A port no other process is given for a minute, for a server that binds it with SO_REUSEADDR (uvicorn,
    asyncio's servers, aiosmtpd and aiohttp all do).

    Binding port 0 and closing would free the port at once, and a test in another pytest-xdist worker could be
    given the same one before this test's server binds it. A connection accepted and closed here leaves the
    port in TIME_WAIT instead: the kernel hands out no port in that state to a bind without SO_REUSEADDR."""
    with socket.socket() as listener:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        port = listener.getsockname()[1]
        with socket.create_connection(("127.0.0.1", port)):
            accepted, _ = listener.accept()
            accepted.close()  # the accepting side closes first: its end of the connection waits in TIME_WAIT
        return port


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
