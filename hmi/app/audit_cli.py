"""``hmi audit verify|export``: check the audit trail's hash chain, export it for review."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path
from typing import Any

from hmi.domain.audit import verify_chain
from hmi.storage import journal
from hmi.storage.database import StorageError, connect, default_cache_path

EXIT_OK = 0
EXIT_TAMPERED = 1
EXIT_ERROR = 2


def register(sub: Any) -> None:
    audit = sub.add_parser("audit", help="verify or export the audit trail")
    audit.add_argument(
        "--cache",
        type=Path,
        default=None,
        metavar="FILE",
        help="the cache file (default: the platform data directory)",
    )
    verbs = audit.add_subparsers(dest="verb", required=True)
    verbs.add_parser("verify", help="check that no entry was changed or deleted")
    export = verbs.add_parser("export", help="write the trail as CSV or JSON Lines")
    export.add_argument("file", type=Path, help="output file: .csv or .jsonl")


def run(args: argparse.Namespace) -> int:
    path: Path = args.cache or default_cache_path()
    if not path.exists():
        print(f"no cache at {path}", file=sys.stderr)
        return EXIT_ERROR
    try:
        db = connect(path)
    except StorageError as exc:
        print(exc, file=sys.stderr)
        return EXIT_ERROR
    try:
        if args.verb == "verify":
            return _verify(db, path)
        return _export(db, args.file)
    finally:
        db.close()


def _verify(db: Any, path: Path) -> int:
    entries = list(journal.audit_entries(db))
    problems = verify_chain(entries)
    problems += [
        f"record {rid} has no audit entry (entries were deleted)"
        for rid in journal.records_without_audit(db)
    ]
    if problems:
        for problem in problems:
            print(f"{path}: {problem}", file=sys.stderr)
        print(
            f"{path}: the audit trail was tampered with ({len(problems)} problems)", file=sys.stderr
        )
        return EXIT_TAMPERED
    print(f"{path}: OK: {len(entries)} audit entries, chain intact")
    return EXIT_OK


def _export(db: Any, out: Path) -> int:
    rows = [entry.fields() for entry in journal.audit_entries(db)]
    if out.suffix == ".csv":
        with out.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]) if rows else ["seq"])
            writer.writeheader()
            writer.writerows(rows)
    elif out.suffix == ".jsonl":
        with out.open("w", encoding="utf-8") as handle:
            for row in rows:
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    else:
        print(f"{out}: give a file ending in .csv or .jsonl", file=sys.stderr)
        return EXIT_ERROR
    print(f"wrote {len(rows)} audit entries to {out}")
    return EXIT_OK
