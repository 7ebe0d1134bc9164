import os

from piccolo.conf.apps import AppConfig

from app.db.tables import (
    Account,
    ApiToken,
    AuditEvent,
    BannedVisitor,
    Delivery,
    EntryRequest,
    ExpectedVisit,
    Gate,
    Parcel,
    PushSubscription,
    Resident,
    ShiftNote,
    StandingPermission,
    Visit,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)

CURRENT_DIRECTORY = os.path.dirname(os.path.abspath(__file__))

APP_CONFIG = AppConfig(
    app_name="gatehouse",
    migrations_folder_path=os.path.join(CURRENT_DIRECTORY, "migrations"),
    table_classes=[
        Resident,
        Account,
        ApiToken,
        ExpectedVisit,
        BannedVisitor,
        Gate,
        Visit,
        EntryRequest,
        AuditEvent,
        PushSubscription,
        Delivery,
        StandingPermission,
        Parcel,
        ShiftNote,
        WebhookEndpoint,
        WebhookEvent,
        WebhookDelivery,
    ],
    migration_dependencies=[],
    commands=[],
)
