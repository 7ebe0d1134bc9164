"""Gatehouse: visitor management for residential communities."""
