"""Shared plumbing below every feature: errors, clock, text keys, paging, live events, who is asking."""
