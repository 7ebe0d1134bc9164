"""How the pages speak: sessions, rendering, errors, sign-in checks. Feature pages live in app/domain."""
