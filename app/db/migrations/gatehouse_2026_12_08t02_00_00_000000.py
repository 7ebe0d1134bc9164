"""Indexes for the webhook sender's looks at what is still to send, so that a backlog does not slow each round.

Under a flood of check-ins the sender yields to the requests and its work queues up. Each round then read:
- the oldest events not yet fanned out, through the index of `created_at` from the oldest event kept (a week of
  them), skipping those fanned out: 3.9 ms on SQLite with 55,000 kept (inside the write lock), 7.6 ms on
  PostgreSQL, growing with the week's events;
- an endpoint's oldest unsent deliveries: SQLite sorted every delivery of the endpoint (1.7 ms with 15,000
  queued), PostgreSQL walked `queued_at` from the oldest delivery kept (24 ms with 120,000 sent before them).
Partial indexes of only what is still to send, in the order it is sent, read the first 50 directly: 0.03 ms
each on SQLite; on PostgreSQL 0.04 ms for the deliveries and 1.2 ms for taking 50 events (their UPDATE). The sender's queries name their condition as literals, as the indexes do: with a
parameter in its place neither database could tell that the index holds every row asked for.

The delivery log, newest first per endpoint, gets an index of (endpoint, queued_at, id), which also serves what
the two indexes it replaces did (the endpoint's deliveries, for its cascading delete; their order). The index of
`fanned_out` alone is replaced by the partial one.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Boolean, ForeignKey, Timestamptz

ID = "2026-12-08T02:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Indexes of the webhook events and deliveries still to send, and of an endpoint's delivery log"

INDEXES = {
    "webhook_event_unsent": "webhook_event (created_at) WHERE NOT fanned_out",
    "webhook_delivery_unsent": "webhook_delivery (endpoint, queued_at, id) WHERE status IN ('pending', 'sending')",
    "webhook_delivery_log": "webhook_delivery (endpoint, queued_at, id)",
}
REPLACED = (
    # (table class, table, column, column class): their indexes of one column, which Piccolo made and drops.
    ("WebhookEvent", "webhook_event", "fanned_out", Boolean),
    ("WebhookDelivery", "webhook_delivery", "endpoint", ForeignKey),
    ("WebhookDelivery", "webhook_delivery", "queued_at", Timestamptz),
)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="gatehouse", description=DESCRIPTION)

    async def create_indexes():
        from app.db.tables import WebhookEvent

        for name, target in INDEXES.items():
            await WebhookEvent.raw(f"CREATE INDEX IF NOT EXISTS {name} ON {target}")

    async def drop_indexes():
        from app.db.tables import WebhookEvent

        for name in INDEXES:
            await WebhookEvent.raw(f"DROP INDEX IF EXISTS {name}")

    manager.add_raw(create_indexes)
    manager.add_raw_backwards(drop_indexes)
    # Through Piccolo, so that its record of the schema matches app/db/tables.py (an --auto migration compares them).
    for class_name, table, column, column_class in REPLACED:
        manager.alter_column(
            table_class_name=class_name,
            tablename=table,
            column_name=column,
            db_column_name=column,
            params={"index": False},
            old_params={"index": True},
            column_class=column_class,
            old_column_class=column_class,
        )
    return manager
