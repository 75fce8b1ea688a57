"""Generate the three demo clients of ``data/clients/`` (deterministic): ``make demo-data``.

    python scripts/make_demo_data.py                 # -> data/clients/
    python scripts/make_demo_data.py --out /tmp/demo  # e.g. for a test

The generator is the package ``scripts/demo_data/`` (its docstring says how it is laid out);
this file is its command line, kept where the Makefile, the tests and the README name it.
"""

from demo_data import main  # this file's folder, scripts/, is on sys.path when it runs

if __name__ == "__main__":
    raise SystemExit(main())
