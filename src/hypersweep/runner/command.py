"""Shell-command trials: argv from a template, params in env and a JSON file, metrics from stdout.

The command never goes through a shell: the template was split with ``shlex`` when the sweep
file was read, and each ``{{ name }}`` is replaced inside its own word, so a value such as
``$(id)`` or ``a; rm -rf /`` reaches the program as one literal argument.
"""
from __future__ import annotations

import json
import logging
import os
import queue
import re
import shutil
import subprocess
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from hypersweep.exceptions import HypersweepError, SpecError, TrialPruned
from hypersweep.outcome import Failed
from hypersweep.runner import in_trial, trial_processes
from hypersweep.runner.context import TrialContext
from hypersweep.runner.run_dirs import open_private, write_private

log = logging.getLogger(__name__)

_PLACEHOLDER = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")
POLL_SECONDS = 0.05
TAIL_CHARS = 2000


def require_program(argv: Sequence[str], env: Mapping[str, str]) -> None:
    """``SpecError`` when the command's program cannot be found here (checked before any trial
    starts, with the ``PATH`` the trials get)."""
    program = argv[0]
    if _PLACEHOLDER.search(program):
        return
    if shutil.which(program, path=env.get("PATH", os.environ.get("PATH"))) is None:
        raise SpecError(
            f"run.cmd: program {program!r} not found or not executable; install it, fix PATH or give its full path"
        )


def format_param(value: Any) -> str:
    """Strings as they are; everything else as JSON (``0.01``, ``true``, ``[32, 32]``)."""
    return value if isinstance(value, str) else json.dumps(value)


def build_argv(
    template: Sequence[str], params: Mapping[str, Any], extra: Mapping[str, str], defaults: Mapping[str, Any] | None = None
) -> list[str]:
    """Substitute ``{{ name }}`` inside each word of ``template``; one word stays one argument.
    A parameter absent from ``params`` (inactive) takes its value in ``defaults``."""
    values = {**{k: format_param(v) for k, v in {**(defaults or {}), **params}.items()}, **extra}
    return [_PLACEHOLDER.sub(lambda m: values[m.group(1)], word) for word in template]


@dataclass(frozen=True)
class CommandObjective:
    """An objective (picklable) that runs ``argv`` for each trial and reads back its metrics.

    ``storage`` is what the command sees as ``$HYPERSWEEP_STORAGE``: the store's name with any
    password hidden. The trial's ``env`` is already in ``os.environ`` when it is called.
    """

    argv: tuple[str, ...]
    sweep: str
    metric: str
    storage: str = ""
    defaults: Mapping[str, Any] = field(default_factory=dict)  # placeholders of inactive parameters

    def __call__(self, params: dict[str, Any], trial: TrialContext) -> Any:
        run_dir = trial.run_dir
        if run_dir is None:
            raise HypersweepError(f"trial {trial.id}: a command trial needs a run_dir for its output")
        params_file = run_dir / "params.json"
        write_private(params_file, json.dumps(params, indent=2))
        metrics_file = run_dir / "metrics.jsonl"
        write_private(metrics_file, "")
        parent_dir = trial.parent_run_dir
        extra = {
            "trial_id": str(trial.id),
            "params_file": str(params_file),
            "run_dir": str(run_dir),
            "parent_run_dir": "" if parent_dir is None else str(parent_dir),
        }
        argv = build_argv(self.argv, params, extra, self.defaults)
        env = self._environment(params, trial.id, run_dir, params_file, metrics_file)
        if parent_dir is not None:
            env[in_trial.ENV_PARENT_RUN_DIR] = str(parent_dir)
        with open_private(run_dir / "stdout.log") as out, open_private(run_dir / "stderr.log") as err:
            return _Execution(argv, env, run_dir, out, err, metrics_file, self.metric, trial).run()

    def _environment(self, params: Mapping[str, Any], trial_id: int, run_dir: Path, params_file: Path, metrics_file: Path) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            {
                in_trial.ENV_SWEEP: self.sweep,
                in_trial.ENV_TRIAL: str(trial_id),
                in_trial.ENV_STORAGE: self.storage,
                in_trial.ENV_RUN_DIR: str(run_dir),
                in_trial.ENV_PARAMS_FILE: str(params_file),
                in_trial.ENV_METRICS_FILE: str(metrics_file),
                "PYTHONUNBUFFERED": "1",
            }
        )
        for name, value in params.items():
            env[f"{in_trial.ENV_PARAM_PREFIX}{name.upper()}"] = format_param(value)
        return env


class _Execution:
    """One run of the command: output pumps, metric relay, pruning, and process-group cleanup."""

    def __init__(self, argv: list[str], env: dict[str, str], run_dir: Path, out: IO[str], err: IO[str],
                 metrics_file: Path, metric: str, trial: TrialContext) -> None:
        self.argv, self.env, self.run_dir = argv, env, run_dir
        self.out, self.err, self.metrics_file = out, err, metrics_file
        self.metric, self.trial = metric, trial
        self.records: queue.Queue[dict[str, Any]] = queue.Queue()
        self.last: dict[str, float] = {}
        self._metrics_offset = 0
        self.pruned_at: int | None = None  # the step at which the pruner stopped the trial
        self.process: subprocess.Popen[str] | None = None

    def run(self) -> Any:
        try:
            self.process = subprocess.Popen(
                self.argv, env=self.env, cwd=os.getcwd(), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                stderr=self.err, text=True, errors="replace", start_new_session=True,
            )
        except OSError as exc:
            return Failed(f"cannot start {self.argv[0]!r}: {exc.strerror or exc}")
        trial_processes.command_started(self.process.pid)
        pump = threading.Thread(target=self._pump_stdout, daemon=True)
        pump.start()
        parent = os.getppid()
        try:
            while self.process.poll() is None:
                self._relay()
                if self.pruned_at is not None:
                    self._kill_group()
                    raise TrialPruned(f"pruned at step {self.pruned_at}; the command's process group was killed")
                if os.getppid() != parent:  # the runner died: do not leave the command behind
                    self._kill_group()
                    os._exit(1)
                time.sleep(POLL_SECONDS)
        finally:
            self._kill_group()  # children left behind by a finished command
            trial_processes.command_ended()
            pump.join(timeout=5)
        self._relay()
        return self._result(self.process.returncode)

    def _kill_group(self) -> None:
        if self.process is None:
            return
        trial_processes.kill_group(self.process.pid)
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            log.error("command %s did not exit after SIGKILL", self.argv[0])

    def _pump_stdout(self) -> None:
        if self.process is None or self.process.stdout is None:
            return
        for line in self.process.stdout:
            self.out.write(line)
            self.out.flush()
            record = in_trial.parse_metric_line(line.rstrip("\n"))
            if record is not None:
                self.records.put(record)

    def _relay(self) -> None:
        """Take new records from stdout and the metrics file; send stepped ones to the runner."""
        try:
            with open(self.metrics_file, encoding="utf-8") as file:
                file.seek(self._metrics_offset)
                chunk = file.read()
        except OSError:
            chunk = ""
        complete, _, _ = chunk.rpartition("\n")
        if complete:
            self._metrics_offset += len((complete + "\n").encode("utf-8"))
            for line in complete.splitlines():
                try:
                    record = json.loads(line)
                except ValueError:
                    continue
                if isinstance(record, dict):
                    self.records.put(record)
        while True:
            try:
                record = self.records.get_nowait()
            except queue.Empty:
                return
            step = record.pop("step", None)
            self.last.update({k: float(v) for k, v in record.items()})
            if step is not None and self.metric in record and self.pruned_at is None:
                if self.trial.report(int(step), float(record[self.metric])):
                    self.pruned_at = int(step)

    def _result(self, code: int) -> Any:
        if code != 0:
            how = f"killed by signal {-code}" if code < 0 else f"exited with code {code}"
            return Failed(f"command {how}; stderr tail: {self._stderr_tail() or '(empty)'}")
        if self.metric not in self.last:
            return Failed(
                f"command exited 0 but never reported {self.metric!r}; print "
                f"'hypersweep.metric {{\"{self.metric}\": VALUE}}' or call hypersweep.report({self.metric}=VALUE)"
            )
        return dict(self.last)

    def _stderr_tail(self) -> str:
        self.err.flush()
        try:
            text = (self.run_dir / "stderr.log").read_text(errors="replace")
        except OSError:
            return ""
        return text[-TAIL_CHARS:].strip()
