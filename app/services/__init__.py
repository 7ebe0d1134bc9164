"""Every business rule of Gatehouse. Knows nothing of HTTP: plain values in, Structs out, domain errors raised."""
