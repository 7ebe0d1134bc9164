"""Standing permissions ("always let in"): residents pre-approve deliveries, a person or a plate."""
