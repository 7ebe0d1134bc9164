"""Records: the audit trail, retention and erasure of personal data."""
