"""Visits: check in, correct, check out, delete, search; and a resident's own visitors."""
