"""One module per export family, as smmkit's ``io/formats`` reads them: each turns simulated frames into
the bytes of a native export (header names, encodings, delimiters, date formats, description rows)."""
