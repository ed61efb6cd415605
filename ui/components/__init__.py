"""Widgets several screens use: pickers, fitted HTML tables, chart display."""
