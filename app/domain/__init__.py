"""Gatehouse's features, one package each: schemas, service (every rule), forms, and the two doors (api, pages)."""
