"""Webhooks: other systems hear of every change, signed per Standard Webhooks."""
