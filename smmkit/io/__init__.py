"""Bytes to tables: encodings, export formats, the canonical schema, ``load_client`` and ``validate``."""
