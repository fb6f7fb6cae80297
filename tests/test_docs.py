"""The user guide (mkdocs.yml, docs/) matches the code, and the site builds with no warning.

- docs/sweep_file.md: every key the sweep-file loader accepts is in a table, and every table row
  is a key it accepts, with the default the loader applies; algorithm and pruner options also
  with the rule their declared ``Option`` enforces.
- docs/cli.md renders the click group itself, so every command is in it; every option carries
  a help text there.
- docs/api.md documents each name of ``hypersweep.__all__`` once, and nothing else.
- ``mkdocs build --strict`` succeeds (the validation settings of mkdocs.yml turn a broken link
  or anchor into a failure; a separate test shows that they do).
"""
from __future__ import annotations

import importlib
import math
import os
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest
import yaml

import hypersweep
from hypersweep.algorithms import algorithm_class, available
from hypersweep.cli.main import cli
from hypersweep.config.sweep_file import (
    CLUSTER_KEYS,
    CONSTRAINT_KEYS,
    EARLY_STOP_KEYS,
    EXECUTOR_KEYS,
    METRIC_KEYS,
    RUN_KEYS,
    SETTINGS_KEYS,
    TOP_KEYS,
    algorithm_block_key,
    parse_sweep_file,
)
from hypersweep.options import OptionSet
from hypersweep.runner.executors import KINDS as EXECUTOR_KINDS
from hypersweep.runner.resources import KEYS as RESOURCE_KEYS
from hypersweep.runner.resources import Resources
from hypersweep.schedulers import PRUNERS
from hypersweep.space import KINDS as MATRIX_KINDS

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"


# -- reading the pages -------------------------------------------------------------------------
def tables(page: Path) -> dict[str, tuple[str, list[dict[str, str]]]]:
    """Each table of ``page`` under the heading it follows: ``{heading: (parent h2, rows)}``;
    headings lose their backticks, cells their surrounding spaces (``\\|`` becomes ``|``)."""
    out: dict[str, tuple[str, list[dict[str, str]]]] = {}
    heading = section = ""
    header: list[str] | None = None
    for line in page.read_text().splitlines():
        match = re.match(r"^(#{2,4}) (.*)$", line)
        if match:
            heading = match.group(2).replace("`", "").strip()
            if len(match.group(1)) == 2:
                section = heading
            header = None
            continue
        if not line.startswith("|"):
            header = None
            continue
        cells = [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
        if header is None:
            header = cells
            assert heading not in out, f"{page.name}: two tables under {heading!r}"
            out[heading] = (section, [])
        elif not set(line) <= set("|- :"):
            out[heading][1].append(dict(zip(header, cells, strict=True)))
    return out


def keys(rows: list[dict[str, str]]) -> list[str]:
    return [row["key"].strip("`") for row in rows]


def literal(cell: str) -> object:
    """The YAML value of a default cell written as one code span (`` `1` ``, `` `null` ``)."""
    assert re.fullmatch(r"`[^`]+`", cell), f"default {cell!r} is not one YAML value in backticks"
    return yaml.safe_load(cell.strip("`"))


def same(documented: object, actual: object) -> bool:
    if isinstance(actual, float) or isinstance(documented, float):
        return isinstance(documented, (int, float)) and math.isclose(float(documented), float(actual), rel_tol=1e-3)
    return documented == actual


SWEEP_FILE = tables(DOCS / "sweep_file.md")


# -- the sweep-file reference ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("heading", "accepted"),
    [
        ("Top-level keys", TOP_KEYS),
        ("metric", METRIC_KEYS),
        ("constraints", CONSTRAINT_KEYS),
        ("run", RUN_KEYS),
        ("settings", SETTINGS_KEYS),
        ("settings.early_stopping", EARLY_STOP_KEYS),
        (
            "settings.executor",
            (*EXECUTOR_KEYS, *(f"{kind}.{key}" for kind in EXECUTOR_KINDS if kind != "process" for key in CLUSTER_KEYS)),
        ),
        ("settings.executor.resources", RESOURCE_KEYS),
    ],
)
def test_the_sweep_file_page_documents_exactly_the_keys_the_loader_accepts(heading, accepted):
    documented = keys(SWEEP_FILE[heading][1])
    assert len(documented) == len(set(documented)), f"{heading}: a key is documented twice"
    assert set(documented) == set(accepted), (
        f"docs/sweep_file.md, {heading}: missing {sorted(set(accepted) - set(documented))}, "
        f"not accepted {sorted(set(documented) - set(accepted))}"
    )


def flattened(options: OptionSet, prefix: str = ""):
    """``(dotted key, Option)`` for every option, nested blocks as ``block.key``."""
    for option in options.options:
        if option.nested is not None:
            yield from flattened(option.nested, f"{prefix}{option.name}.")
        else:
            yield f"{prefix}{option.name}", option


def check_option_table(heading: str, options: OptionSet) -> None:
    rows = {row["key"].strip("`"): row for row in SWEEP_FILE[heading][1]}
    declared = dict(flattened(options))
    assert set(rows) == set(declared), (
        f"docs/sweep_file.md, {heading}: missing {sorted(set(declared) - set(rows))}, "
        f"not declared {sorted(set(rows) - set(declared))}"
    )
    for key, option in declared.items():
        assert option.rule.startswith("must be "), f"{options.owner}.{key} declares no rule"
        assert rows[key]["type and allowed values"] == option.rule.removeprefix("must be "), f"{heading}.{key}"
        documented = literal(rows[key]["default"])
        assert same(documented, option.default), f"{heading}.{key}: documented {documented!r}, declared {option.default!r}"


def test_every_algorithm_has_a_block_section_and_nothing_else_does():
    documented = {heading for heading, (section, _) in SWEEP_FILE.items() if section == "Algorithm blocks"}
    assert documented == {algorithm_block_key(name) for name in available()}


@pytest.mark.parametrize("name", available())
def test_each_algorithm_option_is_documented_with_its_rule_and_default(name):
    check_option_table(algorithm_block_key(name), algorithm_class(name).OPTIONS)


def test_every_pruner_has_a_section_and_nothing_else_does():
    documented = {heading for heading, (section, _) in SWEEP_FILE.items() if section == "Pruners"}
    assert documented == set(PRUNERS)


@pytest.mark.parametrize("name", sorted(PRUNERS))
def test_each_pruner_option_is_documented_with_its_rule_and_default(name):
    check_option_table(name, PRUNERS[name].OPTIONS)


MINIMAL = """\
name: minimal
metric: {name: loss}
settings:
  early_stopping: [{metric: acc, value: 0.9}]
matrix:
  x: {uniform: [0, 1]}
run:
  cmd: python train.py
"""


def test_the_documented_defaults_are_the_ones_the_loader_applies():
    loaded = parse_sweep_file(MINIMAL)
    applied = {
        ("metric", "optimization"): loaded.metric.direction.value,
        ("settings", "concurrency"): loaded.concurrency,
        ("settings", "seed"): loaded.seed,
        ("settings", "max_trials"): loaded.max_trials,
        ("settings", "early_stopping"): list(parse_sweep_file(MINIMAL.replace("[{metric: acc, value: 0.9}]", "[]")).early_stopping),
        ("settings", "pruner"): loaded.pruner,
        ("settings", "max_retries"): loaded.max_retries,
        ("settings", "heartbeat_grace"): loaded.heartbeat_grace,
        ("settings", "executor"): loaded.executor.kind,
        ("settings.early_stopping", "optimization"): loaded.early_stopping[0].direction.value,
        ("settings.executor", "resources"): loaded.executor.resources,
        ("settings.executor", "ray.address"): loaded.executor.address,
        ("settings.executor", "dask.address"): loaded.executor.address,
        ("run", "timeout"): loaded.run.timeout,
        ("run", "env"): dict(loaded.run.env),
        **{("settings.executor.resources", key): getattr(Resources(), key) for key in RESOURCE_KEYS},
    }
    for (heading, key), value in applied.items():
        row = next(row for row in SWEEP_FILE[heading][1] if row["key"].strip("`") == key)
        documented = literal(row["default"])
        assert same(documented, value), f"{heading}.{key}: documented {documented!r}, the loader applies {value!r}"


def test_the_search_spaces_page_lists_every_matrix_kind():
    kinds = [row["kind"].strip("`") for row in tables(DOCS / "search_spaces.md")["Kinds"][1]]
    assert sorted(kinds) == sorted(MATRIX_KINDS)


# -- the CLI and API references ----------------------------------------------------------------
def commands(group: click.Group):
    for name, command in group.commands.items():
        yield name, command
        if isinstance(command, click.Group):
            yield from commands(command)


@pytest.mark.parametrize(("name", "command"), list(commands(cli)), ids=[name for name, _ in commands(cli)])
def test_every_command_and_option_has_a_help_text(name, command):
    ctx = click.Context(command, info_name=name)
    assert (command.help or "").strip(), f"hypersweep {name} has no help text"
    for param in command.get_params(ctx):
        if isinstance(param, click.Option):
            record = param.get_help_record(ctx)
            assert record is not None and record[1].strip(), f"hypersweep {name} {'/'.join(param.opts)} has no help text"


def test_the_cli_page_renders_the_whole_command_group():
    text = (DOCS / "cli.md").read_text()
    assert re.search(r"^::: mkdocs-click\n    :module: hypersweep.cli.main\n    :command: cli\n", text, re.M)
    assert ":list_subcommands: true" in text


def test_the_api_page_documents_each_public_name_once():
    paths = re.findall(r"^::: (\S+)$", (DOCS / "api.md").read_text(), re.M)
    documented: list[str] = []
    for path in paths:
        module, _, name = path.rpartition(".")
        value = getattr(importlib.import_module(module), name)
        assert value is getattr(hypersweep, name, None), f"docs/api.md: {path} is not hypersweep.{name}"
        documented.append(name)
    assert sorted(documented) == sorted(hypersweep.__all__)


# -- the site ----------------------------------------------------------------------------------
def mkdocs_build(config: Path, site: Path) -> subprocess.CompletedProcess[str]:
    """``mkdocs build --strict``; never with ``-q``, which (mkdocs 1.6) also stops strict mode
    from counting the warnings, so a broken link would pass."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(site)],
        capture_output=True, text=True, env=env, timeout=240,
    )


def test_the_site_builds_strictly_with_every_command_and_public_name(tmp_path):
    done = mkdocs_build(ROOT / "mkdocs.yml", tmp_path / "site")
    assert done.returncode == 0, done.stdout + done.stderr
    cli_page = (tmp_path / "site" / "cli" / "index.html").read_text()
    for name, _ in commands(cli):
        assert f'id="hypersweep-{name}"' in cli_page, f"hypersweep {name} is missing from the CLI reference"
    api_page = (tmp_path / "site" / "api" / "index.html").read_text()
    for name in hypersweep.__all__:
        assert re.search(rf'id="[\w.]*\.{re.escape(name)}"', api_page), f"{name} is missing from the API reference"


def test_the_validation_settings_fail_a_build_with_a_broken_link_or_anchor(tmp_path):
    settings = yaml.safe_load((ROOT / "mkdocs.yml").read_text())
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n\n[ok](other.md#a-section) [gone](other.md#no-such-section)\n")
    (tmp_path / "docs" / "other.md").write_text("# Other\n\n## A section\n\n[missing](missing.md)\n")
    config = tmp_path / "mkdocs.yml"
    config.write_text(yaml.safe_dump({"site_name": "t", "validation": settings["validation"]}))
    done = mkdocs_build(config, tmp_path / "site")
    assert done.returncode != 0
    assert "no-such-section" in done.stderr and "missing.md" in done.stderr
    assert "a-section'" not in done.stderr.replace("no-such-section", "")


# -- results pages -----------------------------------------------------------------------------
PAGES = [*sorted(DOCS.glob("*.md")), ROOT / "README.md", ROOT / "benchmarks" / "README.md"]


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(ROOT)) for p in PAGES])
def test_every_benchmark_command_a_page_names_is_in_the_tree(page):
    for module in re.findall(r"python -m (benchmarks(?:\.[a-z_]+)+)", page.read_text()):
        path = ROOT.joinpath(*module.split("."))
        assert path.with_suffix(".py").is_file() or (path / "__main__.py").is_file(), f"{page.name}: {module}"


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(ROOT)) for p in PAGES])
def test_no_page_is_a_lab_notebook(page):
    """No page points at a file not in the tree, names a heading after a tracker issue, or cites
    scratch code or measured code that was removed (those belong in design_notes.md, in words)."""
    text = page.read_text()
    patterns = (r"\bdesign\.md", r"^#+ .*\bissue\b", r"\(issue \d+\)", r"scratch (driver|script)", r"code removed",
                r"conc-bo-fant")
    for pattern in patterns:
        assert not re.search(pattern, text, re.M | re.I), f"{page.name}: {pattern}"


def test_each_results_section_with_a_table_names_its_command_and_date():
    sections = re.split(r"^#{2,3} ", (DOCS / "benchmarks.md").read_text(), flags=re.M)[1:]
    for section in sections:
        if re.search(r"^\|", section, re.M):
            title = section.splitlines()[0]
            assert re.search(r"python -m benchmarks\.|hypersweep meta-train", section), f"{title}: no command"
            assert re.search(r"\b20\d\d-\d\d-\d\d\b", section), f"{title}: no date"
