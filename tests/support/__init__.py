"""Helpers the tests share (importable as ``support.*``: pyproject sets pytest's pythonpath)."""
