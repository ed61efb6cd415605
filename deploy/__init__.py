"""Deployment: several app server processes behind nginx (replicas.py)."""
