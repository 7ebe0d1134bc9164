"""Reports: the gate's numbers for administrators, drawn on the server."""
