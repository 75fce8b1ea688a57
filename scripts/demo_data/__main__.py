"""``python -m scripts.demo_data [--out DIR]`` from the repository root (as ``scripts/make_demo_data.py``)."""

from .build import main

raise SystemExit(main())
