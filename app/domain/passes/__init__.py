"""Passes: the code and QR code an announced visitor shows at the gate."""
