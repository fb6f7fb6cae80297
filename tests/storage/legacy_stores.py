"""Stores as hypersweep wrote them before Alembic, at hand-written schema versions 1, 2 and 3.

The DDL below is frozen: it is what the hand-written migrator emitted on SQLite and PostgreSQL,
copied verbatim, so these fixtures never follow later changes to the package. Each store holds
two sweeps: ``old`` (tpe, two trials with reports; from version 2 its sweep file, with a median
pruner, as an attribute; trial meta from version 3) and ``gp`` (stored as ``bohb``, the name later
renamed ``bohb_gp``; from version 2 with its sweep file too).
"""
from __future__ import annotations

import json

import sqlalchemy as sa

from hypersweep.storage.sql.engine import normalize_url

_V1 = {
    "sqlite": [
        """CREATE TABLE hs_schema_version (
            version INTEGER NOT NULL, description VARCHAR(255) NOT NULL, applied_at DATETIME NOT NULL,
            CONSTRAINT pk_hs_schema_version PRIMARY KEY (version))""",
        """CREATE TABLE hs_sweeps (
            id INTEGER NOT NULL, name VARCHAR(255) NOT NULL, space TEXT NOT NULL, options TEXT NOT NULL,
            metric_name VARCHAR(255) NOT NULL, direction VARCHAR(16) NOT NULL, algorithm VARCHAR(255) NOT NULL,
            seed BIGINT NOT NULL, created_at DATETIME NOT NULL, next_trial_id INTEGER DEFAULT '0' NOT NULL,
            CONSTRAINT pk_hs_sweeps PRIMARY KEY (id), CONSTRAINT uq_hs_sweeps_name UNIQUE (name),
            CONSTRAINT ck_hs_sweeps_direction CHECK (direction IN ('minimize', 'maximize')))""",
        """CREATE TABLE hs_trials (
            id INTEGER NOT NULL, sweep_id INTEGER NOT NULL, number INTEGER NOT NULL, state VARCHAR(16) NOT NULL,
            params TEXT NOT NULL, value DOUBLE, metrics TEXT, error TEXT, created_at DATETIME NOT NULL,
            started_at DATETIME, finished_at DATETIME, heartbeat_at DATETIME, worker VARCHAR(255),
            CONSTRAINT pk_hs_trials PRIMARY KEY (id), CONSTRAINT uq_hs_trials_sweep_id_number UNIQUE (sweep_id, number),
            CONSTRAINT ck_hs_trials_state CHECK (state IN ('waiting', 'running', 'completed', 'pruned', 'failed')),
            CONSTRAINT fk_hs_trials_sweep_id_hs_sweeps FOREIGN KEY(sweep_id) REFERENCES hs_sweeps (id) ON DELETE CASCADE)""",
        "CREATE INDEX ix_hs_trials_sweep_id_state_number ON hs_trials (sweep_id, state, number)",
        """CREATE TABLE hs_reports (
            trial_id INTEGER NOT NULL, step BIGINT NOT NULL, value DOUBLE NOT NULL, time DATETIME NOT NULL,
            CONSTRAINT pk_hs_reports PRIMARY KEY (trial_id, step),
            CONSTRAINT fk_hs_reports_trial_id_hs_trials FOREIGN KEY(trial_id) REFERENCES hs_trials (id) ON DELETE CASCADE)""",
    ],
    "postgresql": [
        """CREATE TABLE hs_schema_version (
            version INTEGER NOT NULL, description VARCHAR(255) NOT NULL, applied_at TIMESTAMP WITH TIME ZONE NOT NULL,
            CONSTRAINT pk_hs_schema_version PRIMARY KEY (version))""",
        """CREATE TABLE hs_sweeps (
            id BIGSERIAL NOT NULL, name VARCHAR(255) NOT NULL, space TEXT NOT NULL, options TEXT NOT NULL,
            metric_name VARCHAR(255) NOT NULL, direction VARCHAR(16) NOT NULL, algorithm VARCHAR(255) NOT NULL,
            seed BIGINT NOT NULL, created_at TIMESTAMP WITH TIME ZONE NOT NULL, next_trial_id INTEGER DEFAULT '0' NOT NULL,
            CONSTRAINT pk_hs_sweeps PRIMARY KEY (id), CONSTRAINT uq_hs_sweeps_name UNIQUE (name),
            CONSTRAINT ck_hs_sweeps_direction CHECK (direction IN ('minimize', 'maximize')))""",
        """CREATE TABLE hs_trials (
            id BIGSERIAL NOT NULL, sweep_id BIGINT NOT NULL, number INTEGER NOT NULL, state VARCHAR(16) NOT NULL,
            params TEXT NOT NULL, value DOUBLE PRECISION, metrics TEXT, error TEXT,
            created_at TIMESTAMP WITH TIME ZONE NOT NULL, started_at TIMESTAMP WITH TIME ZONE,
            finished_at TIMESTAMP WITH TIME ZONE, heartbeat_at TIMESTAMP WITH TIME ZONE, worker VARCHAR(255),
            CONSTRAINT pk_hs_trials PRIMARY KEY (id), CONSTRAINT uq_hs_trials_sweep_id_number UNIQUE (sweep_id, number),
            CONSTRAINT ck_hs_trials_state CHECK (state IN ('waiting', 'running', 'completed', 'pruned', 'failed')),
            CONSTRAINT fk_hs_trials_sweep_id_hs_sweeps FOREIGN KEY(sweep_id) REFERENCES hs_sweeps (id) ON DELETE CASCADE)""",
        "CREATE INDEX ix_hs_trials_sweep_id_state_number ON hs_trials (sweep_id, state, number)",
        """CREATE TABLE hs_reports (
            trial_id BIGINT NOT NULL, step BIGINT NOT NULL, value DOUBLE PRECISION NOT NULL,
            time TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT pk_hs_reports PRIMARY KEY (trial_id, step),
            CONSTRAINT fk_hs_reports_trial_id_hs_trials FOREIGN KEY(trial_id) REFERENCES hs_trials (id) ON DELETE CASCADE)""",
    ],
}
_V2 = {
    "sqlite": [
        """CREATE TABLE hs_sweep_attrs (
            sweep_id INTEGER NOT NULL, "key" VARCHAR(255) NOT NULL, value TEXT NOT NULL,
            CONSTRAINT pk_hs_sweep_attrs PRIMARY KEY (sweep_id, "key"),
            CONSTRAINT fk_hs_sweep_attrs_sweep_id_hs_sweeps FOREIGN KEY(sweep_id) REFERENCES hs_sweeps (id) ON DELETE CASCADE)""",
        "ALTER TABLE hs_trials ADD COLUMN attempt INTEGER NOT NULL DEFAULT 0",
    ],
    "postgresql": [
        """CREATE TABLE hs_sweep_attrs (
            sweep_id BIGINT NOT NULL, key VARCHAR(255) NOT NULL, value TEXT NOT NULL,
            CONSTRAINT pk_hs_sweep_attrs PRIMARY KEY (sweep_id, key),
            CONSTRAINT fk_hs_sweep_attrs_sweep_id_hs_sweeps FOREIGN KEY(sweep_id) REFERENCES hs_sweeps (id) ON DELETE CASCADE)""",
        "ALTER TABLE hs_trials ADD COLUMN attempt INTEGER NOT NULL DEFAULT 0",
    ],
}
_V3 = {dialect: ["ALTER TABLE hs_trials ADD COLUMN meta TEXT"] for dialect in ("sqlite", "postgresql")}
DDL = {1: _V1, 2: _V2, 3: _V3}
DESCRIPTIONS = {
    1: "initial schema: sweeps, trials, reports",
    2: "sweep attributes (stop flag, sweep file) and trial attempts (retries)",
    3: "trial meta (multi-fidelity budget, bracket, rung, parent)",
}
TIME = {"sqlite": "2026-01-01 00:00:00.000000", "postgresql": "2026-01-01 00:00:00.000000+00"}

SPACE_TEXT = '{"x":{"uniform":[0,1]}}'
FILE = {"name": "old", "settings": {"seed": 3, "tpe": {}, "pruner": {"median": {"n_startup_trials": 2}}}}
GP_FILE = {"name": "gp", "settings": {"bohb": {"max_iter": 9}, "seed": 0}}


def engine_for(url: str) -> sa.Engine:
    """A plain engine on ``url`` (no hypersweep hooks), for writing and inspecting stores by hand."""
    return sa.create_engine(normalize_url(url), poolclass=sa.pool.NullPool)


def build_legacy_store(url: str, version: int) -> None:
    """Write an empty store at ``url`` as hypersweep did at hand-written schema ``version``, with data."""
    engine = engine_for(url)
    dialect = engine.dialect.name
    t = TIME[dialect]
    try:
        with engine.begin() as conn:
            for step in range(1, version + 1):
                for statement in DDL[step][dialect]:
                    conn.exec_driver_sql(statement)
                conn.execute(
                    sa.text("INSERT INTO hs_schema_version (version, description, applied_at) VALUES (:v, :d, :t)"),
                    {"v": step, "d": DESCRIPTIONS[step], "t": t},
                )
            sweep = sa.text(
                "INSERT INTO hs_sweeps (name, space, options, metric_name, direction, algorithm, seed, created_at,"
                " next_trial_id) VALUES (:name, :space, :options, 'loss', 'minimize', :algorithm, :seed, :t, :next)"
            )
            conn.execute(sweep, {"name": "old", "space": SPACE_TEXT, "options": '{"n_startup":3}',
                                 "algorithm": "tpe", "seed": 3, "t": t, "next": 2})
            conn.execute(sweep, {"name": "gp", "space": SPACE_TEXT, "options": "{}",
                                 "algorithm": "bohb", "seed": 0, "t": t, "next": 0})
            pk = conn.execute(sa.text("SELECT id FROM hs_sweeps WHERE name = 'old'")).scalar_one()
            trial = sa.text(
                "INSERT INTO hs_trials (sweep_id, number, state, params, value, metrics, created_at, started_at,"
                " finished_at, heartbeat_at, worker) VALUES (:pk, :n, :state, :params, :value, :metrics, :t, :t,"
                " :finished, :t, :worker)"
            )
            conn.execute(trial, {"pk": pk, "n": 0, "state": "completed", "params": '{"x":0.5}', "value": 1.25,
                                 "metrics": '{"acc":0.75}', "t": t, "finished": t, "worker": "host:1"})
            conn.execute(trial, {"pk": pk, "n": 1, "state": "running", "params": '{"x":0.25}', "value": None,
                                 "metrics": None, "t": t, "finished": None, "worker": "host:2"})
            first = conn.execute(sa.text("SELECT id FROM hs_trials WHERE number = 0")).scalar_one()
            for step, value in ((0, 2.0), (1, 1.5)):
                conn.execute(
                    sa.text("INSERT INTO hs_reports (trial_id, step, value, time) VALUES (:trial, :step, :value, :t)"),
                    {"trial": first, "step": step, "value": value, "t": t},
                )
            if version >= 2:
                gp = conn.execute(sa.text("SELECT id FROM hs_sweeps WHERE name = 'gp'")).scalar_one()
                for sweep_id, data in ((pk, FILE), (gp, GP_FILE)):
                    conn.execute(
                        sa.text("INSERT INTO hs_sweep_attrs (sweep_id, key, value) VALUES (:pk, 'sweep_file', :value)"),
                        {"pk": sweep_id, "value": json.dumps(data, separators=(",", ":"))},
                    )
            if version >= 3:
                conn.execute(sa.text("UPDATE hs_trials SET meta = :meta WHERE id = :id"), {"meta": '{"budget":3}', "id": first})
    finally:
        engine.dispose()
