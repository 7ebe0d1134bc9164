"""Piccolo's configuration: the engine comes from DATABASE_URL (SQLite by default)."""

from piccolo.conf.apps import AppRegistry

from app.db.engine import engine_from_url
from app.settings import database_url_from_env

DB = engine_from_url(database_url_from_env())

APP_REGISTRY = AppRegistry(apps=["app.db.piccolo_app"])
