"""The do-not-admit list."""
