"""Tell every open kiosk, and the residents concerned, that the visits changed.

The visit services call visit_changed after each committed write, so the API and the kiosk
announce their changes the same way. Each change goes to the kiosks' channel and to the channel
of each resident it concerns, so a resident's stream only ever carries their own visits. The app
plugs in the transport (Litestar channels, in memory or Redis) at start-up; without one (the
command line, unit tests) publishing does nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import threading
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from uuid import UUID

CHANNEL = "visits"
CHANGES = ("checked-in", "admitted-despite-ban", "checked-out", "updated", "deleted")
EXPECTED = "expected"
"""The change of an announcement (made, changed or cancelled): kiosks refetch their "Expected today"."""
REQUEST_CHANGES = ("asked", "answered", "cancelled")
PARCEL_CHANGES = ("received", "handed-over", "instructions", "deleted")
NOTE_CHANGES = ("written", "read")

Publisher = Callable[[dict, str], None]
_publisher: Publisher | None = None


def configure(publisher: Publisher | None) -> None:
    global _publisher
    _publisher = publisher


_origin: ContextVar[str | None] = ContextVar("live_origin", default=None)


@contextlib.contextmanager
def changes_from(origin: str | None) -> Iterator[None]:
    """Mark the changes made inside as coming from `origin` (a kiosk page's own id): that page already
    refreshes from its own answer, so its live stream leaves them out (one refetch per change)."""
    token = _origin.set(origin)
    try:
        yield
    finally:
        _origin.reset(token)


def resident_channel(resident_id: UUID) -> str:
    return f"resident:{resident_id}"


def expected_changed(expected_id: UUID) -> None:
    """Tell the kiosks an announcement was made, changed or cancelled, so an open kiosk's "Expected today"
    shows it at once rather than at its next minute's poll. Never raises, like visit_changed."""
    if _publisher is None:
        return
    _publish({"change": EXPECTED, "expectedId": str(expected_id)}, ())


def visit_changed(change: str, visit_id: UUID, *resident_ids: UUID) -> None:
    """Announce one change (one of CHANGES) to the kiosks and to each resident it concerns
    (an update that moves a visit to another resident concerns both). Never raises: a lost
    event only delays a page, which also refreshes on reconnect and every minute."""
    if change not in CHANGES:
        raise ValueError(f"unknown change {change!r}")
    if _publisher is None:
        return
    _publish({"change": change, "visitId": str(visit_id)}, resident_ids)


def request_changed(change: str, request_id: UUID, resident_id: UUID) -> None:
    """Announce a change to an entry request (one of REQUEST_CHANGES) to the kiosks and to the household
    asked: their open pages show the question, or stop showing it once someone answered."""
    if change not in REQUEST_CHANGES:
        raise ValueError(f"unknown request change {change!r}")
    if _publisher is None:
        return
    _publish({"change": change, "requestId": str(request_id)}, (resident_id,))


def parcel_changed(change: str, parcel_id: UUID, resident_id: UUID) -> None:
    """Announce a change to a parcel (one of PARCEL_CHANGES) to the kiosks and to its household: their open
    pages refetch "Parcels waiting". Never raises, like visit_changed."""
    if change not in PARCEL_CHANGES:
        raise ValueError(f"unknown parcel change {change!r}")
    if _publisher is None:
        return
    _publish({"change": change, "parcelId": str(parcel_id)}, (resident_id,))


def note_changed(change: str, note_id: UUID | None = None) -> None:
    """Announce a change to the shift log (one of NOTE_CHANGES: a note written, the handover marked read) to
    the kiosks only (residents never see the log): open handover pages refetch. Never raises."""
    if change not in NOTE_CHANGES:
        raise ValueError(f"unknown note change {change!r}")
    if _publisher is None:
        return
    _publish({"change": change, "noteId": str(note_id) if note_id else None}, ())


def _publish(event: dict, resident_ids) -> None:
    origin = _origin.get()
    for channel in [CHANNEL, *(resident_channel(r) for r in dict.fromkeys(resident_ids))]:
        try:
            _publisher(event | {"origin": origin} if origin and channel == CHANNEL else event, channel)
        except Exception:
            logging.getLogger("gatehouse.live").exception("Could not publish a change")


def event_name(message: bytes) -> str:
    """The server-sent event a published message goes out as: `requests` for entry requests, `parcels` for
    parcels, `notes` for the shift log, `expected` for announcements (only "Expected today" refetches), else
    `visits`."""
    if b'"requestId"' in message:
        return "requests"
    if b'"noteId"' in message:
        return "notes"
    if b'"parcelId"' in message:
        return "parcels"
    return "expected" if b'"expectedId"' in message else "visits"


# ---------------------------------------------------------------- the server stopping

open_streams: set[asyncio.Queue] = set()
_server_stopping = False
STOP = b""
"""Put in every open stream's queue when the server stops; no published message is empty."""


def end_streams() -> None:
    """The server is stopping: end every open stream now. Browsers reconnect on their own (to another
    worker, or to this server once it is back), and the server no longer waits for streams that never end."""
    global _server_stopping
    _server_stopping = True
    for queue in open_streams:
        queue.put_nowait(STOP)


def server_stopping() -> bool:
    return _server_stopping


def end_streams_on_stop_signals() -> tuple:
    """Start and stop hooks for the app. uvicorn waits for every open connection before it stops (and then
    cancels them with a traceback each), and an event stream never ends by itself: on SIGINT or SIGTERM this
    ends the streams first and then lets the server's own handler go on as before."""
    previous: dict[int, object] = {}

    def start(_app=None) -> None:
        if threading.current_thread() is not threading.main_thread():
            return  # an in-process test client: signals are not this thread's to handle
        loop = asyncio.get_running_loop()
        for stop_signal in (signal.SIGINT, signal.SIGTERM):
            previous[stop_signal] = signal.getsignal(stop_signal)
            signal.signal(stop_signal, _on_stop_signal(loop, previous[stop_signal]))

    def stop(_app=None) -> None:
        for stop_signal, handler in previous.items():
            signal.signal(stop_signal, handler)
        previous.clear()

    return start, stop


def _on_stop_signal(loop: asyncio.AbstractEventLoop, then):
    def handle(signum: int, frame) -> None:
        loop.call_soon_threadsafe(end_streams)
        if callable(then):
            then(signum, frame)
        elif then == signal.SIG_DFL:  # nobody else handles it: stop as the signal would have
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)

    return handle
