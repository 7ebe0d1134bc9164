"""Parcels: received at the gatehouse for a household, kept on a shelf, handed over once."""
