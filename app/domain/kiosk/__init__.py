"""The gate's kiosk: the board of who is inside, returning visitors, overstays, the end-of-day sweep."""
