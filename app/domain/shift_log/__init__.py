"""The shift log: guards' notes, and the handover the incoming guard reads."""
