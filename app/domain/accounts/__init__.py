"""Accounts, passwords, sign-in and API tokens."""
