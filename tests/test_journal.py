"""The cache: migrations, one transaction per record, immutability, the audit trail."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hmi.domain.audit import AuditCategory, verify_chain
from hmi.domain.records import Record, RecordKind, new_record_id, parse_envelope, to_millis
from hmi.storage import journal, outbox
from hmi.storage.database import Database, StorageError, connect, migrate
from hmi.storage.schema import MIGRATIONS

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def db(tmp_path: Path) -> Database:
    database = Database(tmp_path / "cache.sqlite")
    database.start()
    yield database  # type: ignore[misc]
    database.close()


def write(
    db: Database, station: str = "filler", text: str = "checked the nozzle"
) -> journal.Record:  # type: ignore[name-defined]
    draft = journal.RecordDraft(
        RecordKind.INTERVENTION, station, "olga", {"text": text}, time.time()
    )
    return db.submit(lambda conn: journal.append_record(conn, draft)).result(10)


def test_every_connection_is_wal_with_full_sync_and_the_schema_is_current(db: Database) -> None:
    conn = connect(db.path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    conn.close()


def test_a_cache_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "newer.sqlite"
    conn = connect(path)
    conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    with pytest.raises(StorageError, match="newer than this program"):
        migrate(conn)
    conn.close()


def test_every_job_ends_committed_even_a_bare_statement_and_a_failing_one_leaves_nothing(
    db: Database,
) -> None:
    def bare(conn: object) -> None:
        db_ = conn  # a statement outside atomic(): Python opens a transaction for it
        db_.conn.execute(  # type: ignore[attr-defined]
            "INSERT INTO shift_summaries VALUES ('filler', 1.0, 'r1')"
        )

    def half(conn: object) -> None:
        conn.conn.execute(  # type: ignore[attr-defined]
            "INSERT INTO shift_summaries VALUES ('filler', 2.0, 'r2')"
        )
        raise ValueError("a bug half way")

    db.submit(bare).result(10)
    with pytest.raises(ValueError):
        db.submit(half).result(10)
    record = write(db)  # an atomic() job after them: a transaction of its own, committed
    other = connect(db.path)  # another connection sees only what was committed
    rows = other.execute("SELECT record_id FROM shift_summaries").fetchall()
    assert rows == [("r1",)]
    assert other.execute("SELECT COUNT(*) FROM records WHERE id = ?", [record.id]).fetchone() == (
        1,
    )
    other.close()


def test_record_audit_and_outbox_row_are_written_together(db: Database) -> None:
    first, second = write(db), write(db)
    other = write(db, station="capper")
    assert (first.seq, second.seq, other.seq) == (1, 2, 1), "sequence per station"
    stored = db.read(lambda conn: journal.get_record(conn, second.id))
    assert stored == second
    assert parse_envelope(second.to_json()) == second
    summary = db.read(outbox.summary)
    assert summary.pending == 3
    entries = db.read(lambda conn: list(journal.audit_entries(conn)))
    assert [e.category for e in entries] == [AuditCategory.RECORD] * 3
    assert second.id in entries[1].detail
    assert verify_chain(entries) == []


def test_a_failed_write_leaves_nothing_behind(db: Database) -> None:
    write(db)

    def half_written(conn: journal.sqlite_utils.Database) -> None:  # type: ignore[name-defined]
        with conn.atomic():
            journal.append_record(
                conn,
                journal.RecordDraft(
                    RecordKind.INTERVENTION, "filler", "olga", {"text": "x"}, time.time()
                ),
            )
            raise RuntimeError("power cut between the record and the commit")

    with pytest.raises(RuntimeError):
        db.submit(half_written).result(10)
    counts = db.read(
        lambda conn: [
            conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
            for t in ("records", "outbox", "audit")
        ]
    )
    assert counts == [1, 1, 1]


def test_records_cannot_be_edited_or_deleted(db: Database) -> None:
    record = write(db)
    conn = sqlite3.connect(db.path)
    for sql in (
        "UPDATE records SET user = 'mallory' WHERE id = ?",
        "DELETE FROM records WHERE id = ?",
    ):
        with pytest.raises(sqlite3.IntegrityError, match="immutable"):
            conn.execute(sql, [record.id])
    conn.close()


def test_outbox_moves_through_its_states_and_never_drops(db: Database) -> None:
    records = [write(db) for _ in range(5)]
    batch = db.submit(lambda c: outbox.take_batch(c, time.time(), 3)).result(10)
    assert [item.seq for item in batch] == [1, 2, 3]
    db.submit(lambda c: outbox.mark_delivered(c, [batch[0].record_id], time.time())).result(10)
    quarantined = db.submit(
        lambda c: outbox.mark_failed(
            c, [batch[1].record_id], "not authorized", 0, permanent=True, quarantine_after=1
        )
    ).result(10)
    assert quarantined == [batch[1].record_id]
    db.submit(
        lambda c: outbox.mark_failed(
            c, [batch[2].record_id], "timeout", 0, permanent=False, quarantine_after=1
        )
    ).result(10)
    summary = db.read(outbox.summary)
    assert (summary.delivered, summary.quarantined, summary.pending, summary.in_flight) == (
        1,
        1,
        3,
        0,
    )
    assert summary.last_error in ("not authorized", "timeout")
    # A restart returns whatever was in flight.
    db.submit(lambda c: outbox.take_batch(c, time.time(), 10)).result(10)
    assert db.submit(outbox.return_in_flight).result(10) == 3
    assert db.submit(lambda c: outbox.requeue(c, [batch[1].record_id])).result(10) == 1
    assert db.read(outbox.summary).pending == 4
    assert len(records) == 5


def _run_verify(cache: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hmi.app.cli", "audit", "--cache", str(cache), "verify"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_audit_verify_detects_an_edited_and_a_deleted_entry(db: Database) -> None:
    for _ in range(4):
        write(db)
    db.submit(
        lambda c: journal.append_audit(
            c,
            journal.AuditDraft(
                time.time(), "olga", "filler", AuditCategory.SESSION, "session.sign_out", "ok"
            ),
        )
    ).result(10)
    db.close()
    ok = _run_verify(db.path)
    assert ok.returncode == 0 and "5 audit entries, chain intact" in ok.stdout

    conn = sqlite3.connect(db.path)
    conn.execute("UPDATE audit SET user = 'mallory' WHERE seq = 2")
    conn.commit()
    edited = _run_verify(db.path)
    assert edited.returncode == 1 and "entry 2 was changed" in edited.stderr

    conn.execute("UPDATE audit SET user = 'olga' WHERE seq = 2")  # put it back
    conn.execute("DELETE FROM audit WHERE seq = 3")
    conn.commit()
    deleted = _run_verify(db.path)
    assert deleted.returncode == 1 and "entries 3 to 3 are missing" in deleted.stderr

    conn.execute("DELETE FROM audit WHERE seq >= 4")  # cut the tail: the records betray it
    conn.commit()
    conn.close()
    cut = _run_verify(db.path)
    assert cut.returncode == 1 and "has no audit entry" in cut.stderr


def test_audit_export_as_csv_and_json_lines(db: Database, tmp_path: Path) -> None:
    write(db)
    db.close()
    for name in ("trail.csv", "trail.jsonl"):
        out = tmp_path / name
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "hmi.app.cli",
                "audit",
                "--cache",
                str(db.path),
                "export",
                str(out),
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        text = out.read_text(encoding="utf-8")
        assert "record.intervention" in text and "prev_hash" in text


@settings(max_examples=300, deadline=None)
@given(
    ts=st.floats(min_value=0, max_value=4e9, allow_nan=False),
    payload=st.dictionaries(st.text(max_size=8), st.text(max_size=20) | st.integers(), max_size=4),
    station=st.text(min_size=1, max_size=12),
)
def test_envelope_round_trips(ts: float, payload: dict[str, object], station: str) -> None:
    record = Record(
        new_record_id(), RecordKind.INTERVENTION, station, 7, to_millis(ts), "olga", payload
    )
    assert parse_envelope(record.to_json()) == record


def test_the_runtime_audits_which_plant_file_it_loaded(tmp_path: Path) -> None:
    from hmi.config import load_plant
    from hmi.services.runtime import Runtime
    from hmi.sim import demo_plant_path

    runtime = Runtime(load_plant(demo_plant_path()), cache_path=tmp_path / "cache.sqlite")
    runtime.start()
    runtime.stop()
    conn = connect(tmp_path / "cache.sqlite")
    (first,) = list(journal.audit_entries(conn))[:1]
    conn.close()
    assert (first.category, first.action) == (AuditCategory.CONFIG, "config.load")
    assert str(demo_plant_path()) in first.detail and '"sha256": "' in first.detail
