"""Many clients at once: the papermill runner, fingerprints, HTML rendering, manifest and index."""
