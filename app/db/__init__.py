"""Piccolo tables, the engine built from DATABASE_URL, and migrations."""
