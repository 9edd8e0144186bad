"""Suite-wide fixtures: see data_guard.py (the real data folder is never touched)."""

from data_guard import _no_real_user_data  # noqa: F401
