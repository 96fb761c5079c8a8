"""Rule files, calendars and settings: package data read by pipeline/rules.py."""
