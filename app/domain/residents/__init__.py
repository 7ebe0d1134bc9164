"""Residents: the people visitors come to see, and importing a building from CSV."""
