"""Expected visitors: announcements by residents and administrators."""
