"""The data and settings screens' parts: table editors, imports, scoring settings, users."""
