"""The cache's schema, as forward migrations: migration N brings user_version to N.

Never edit a migration that has shipped; add the next one.
"""

from __future__ import annotations

MIGRATIONS: list[list[str]] = [
    # 1: operator records, their outbox state, the audit trail
    [
        """CREATE TABLE records (
            id TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            station TEXT NOT NULL,
            seq INTEGER NOT NULL,
            ts REAL NOT NULL,
            user TEXT NOT NULL,
            schema INTEGER NOT NULL,
            corrects TEXT REFERENCES records(id),
            body TEXT NOT NULL,
            UNIQUE (station, seq)
        )""",
        """CREATE TABLE outbox (
            record_id TEXT PRIMARY KEY REFERENCES records(id),
            station TEXT NOT NULL,
            seq INTEGER NOT NULL,
            state TEXT NOT NULL CHECK (state IN
                ('pending', 'in_flight', 'delivered', 'quarantined', 'discarded')),
            tries INTEGER NOT NULL DEFAULT 0,
            next_attempt REAL NOT NULL DEFAULT 0,
            last_error TEXT NOT NULL DEFAULT '',
            created REAL NOT NULL,
            delivered REAL
        )""",
        "CREATE INDEX outbox_queue ON outbox (state, station, seq)",
        """CREATE TABLE audit (
            seq INTEGER PRIMARY KEY,
            ts REAL NOT NULL,
            user TEXT NOT NULL,
            station TEXT NOT NULL,
            category TEXT NOT NULL,
            action TEXT NOT NULL,
            result TEXT NOT NULL,
            detail TEXT NOT NULL,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL
        )""",
        # Records are immutable: the database itself refuses an edit or a deletion.
        """CREATE TRIGGER records_immutable BEFORE UPDATE ON records
            BEGIN SELECT RAISE(ABORT, 'records are immutable'); END""",
        """CREATE TRIGGER records_undeletable BEFORE DELETE ON records
            BEGIN SELECT RAISE(ABORT, 'records are immutable'); END""",
    ],
    # 2: the alarm journal: every transition of every alarm, UTC
    [
        """CREATE TABLE alarm_journal (
            seq INTEGER PRIMARY KEY,
            ts REAL NOT NULL,
            alarm_id TEXT NOT NULL,
            station TEXT NOT NULL,
            priority INTEGER NOT NULL,
            event TEXT NOT NULL,
            state TEXT NOT NULL,
            user TEXT NOT NULL,
            text TEXT NOT NULL,
            value,
            annunciated INTEGER NOT NULL,
            message TEXT NOT NULL,
            until REAL
        )""",
        "CREATE INDEX alarm_journal_ts ON alarm_journal (ts)",
        "CREATE INDEX alarm_journal_alarm ON alarm_journal (alarm_id, seq)",
    ],
    # 3: downtime events as the station sees them: open, waiting for a reason, corrected
    [
        """CREATE TABLE downtime (
            id TEXT PRIMARY KEY,
            station TEXT NOT NULL,
            start REAL NOT NULL,
            end REAL,
            state TEXT NOT NULL,
            reason TEXT,
            planned INTEGER,
            micro INTEGER NOT NULL,
            comment TEXT NOT NULL,
            source TEXT NOT NULL,
            shift TEXT,
            context TEXT NOT NULL,
            states TEXT NOT NULL,
            continues TEXT,
            replaces TEXT NOT NULL,
            superseded_by TEXT,
            record_id TEXT,
            updated REAL NOT NULL
        )""",
        "CREATE INDEX downtime_station_start ON downtime (station, start)",
    ],
    # 4: which shift summaries are on record (one per station and shift)
    [
        """CREATE TABLE shift_summaries (
            station TEXT NOT NULL,
            shift_start REAL NOT NULL,
            record_id TEXT NOT NULL,
            PRIMARY KEY (station, shift_start)
        )""",
    ],
    # 5: what each station was making from when: OEE per order is cut at these
    [
        """CREATE TABLE context_changes (
            station TEXT NOT NULL,
            ts REAL NOT NULL,
            ord TEXT,
            product TEXT,
            batch TEXT,
            manual INTEGER NOT NULL
        )""",
        "CREATE INDEX context_changes_station_ts ON context_changes (station, ts)",
    ],
    # 6: work instruction runs, saved at every step so that a restart resumes them
    [
        """CREATE TABLE instruction_runs (
            id TEXT PRIMARY KEY,
            station TEXT NOT NULL,
            state TEXT NOT NULL,
            body TEXT NOT NULL,
            record_id TEXT,
            updated REAL NOT NULL
        )""",
        "CREATE INDEX instruction_runs_open ON instruction_runs (state, station)",
    ],
]
