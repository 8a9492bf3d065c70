#!/usr/bin/env python3
"""Run PassportEye over images and print one JSON line per image.

Baseline for comparing our MRZ reader with PassportEye (PyPI ``PassportEye``,
tested with 2.2.2 and Debian's tesseract 5.3).

Usage:
    python passporteye_read.py IMAGE...

For every IMAGE, in the order given, one line is written to stdout:

    {"file": "<basename>", "mrz": "<line1>|<line2>[|<line3>]", "ms": <float>}

``mrz`` is the raw text PassportEye's OCR produced for the MRZ
(``mrz.aux['text']``: lines separated by newlines, joined here with ``|``),
not its parsed or corrected fields. It is ``null`` when PassportEye found no
MRZ or raised an error for that image. ``ms`` is the wall-clock time of the
``read_mrz`` call in milliseconds. Errors never stop the run; warnings are
silenced so stderr stays quiet.
"""
import json
import logging
import os
import sys
import time
import warnings


def _quiet():
    """Silence Python warnings (scikit-image deprecations etc.) and logging."""
    warnings.simplefilter("ignore")
    os.environ.setdefault("PYTHONWARNINGS", "ignore")
    logging.disable(logging.CRITICAL)


def raw_mrz_text(mrz):
    """Return the MRZ lines PassportEye read, joined by '|', or None."""
    if mrz is None:
        return None
    text = (getattr(mrz, "aux", None) or {}).get("text")
    if not text:
        return None
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return "|".join(lines) or None


def read_one(read_mrz, path):
    """Read one image; return (joined MRZ text or None, elapsed ms)."""
    start = time.perf_counter()
    try:
        text = raw_mrz_text(read_mrz(path))
    except Exception:  # one bad image must not end the run
        text = None
    return text, (time.perf_counter() - start) * 1000.0


def main(argv):
    if not argv:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    _quiet()
    from passporteye import read_mrz  # imported after warnings are silenced

    for path in argv:
        text, ms = read_one(read_mrz, path)
        record = {"file": os.path.basename(path), "mrz": text, "ms": round(ms, 1)}
        sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
