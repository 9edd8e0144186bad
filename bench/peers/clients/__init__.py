"""Client programs run inside a peer's own venv (they import only that peer's packages)."""
