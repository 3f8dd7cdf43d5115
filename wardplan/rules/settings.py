"""Project settings, read from `settings.toml` at the repository root.

Thresholds live in a file rather than in code so that the planning office can
adjust them without a release.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from wardplan.rules.scenario import RULES

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_PATH = ROOT / "settings.toml"

# The phasing rules `wardplan.rules.scenario` implements; an unknown name must
# fail loudly, not fall back.
SCENARIO_RULES = frozenset(RULES)


class SettingsError(ValueError):
    """The settings file is missing a key or holds an inconsistent value."""


@dataclass(frozen=True)
class StatusBands:
    """Achievement (% of scenario) thresholds for green and amber."""

    green_min_pct: float
    amber_min_pct: float

    def __post_init__(self) -> None:
        # Checked here too, so bands built in code are as safe as loaded ones.
        if not 0 < self.amber_min_pct <= self.green_min_pct:
            raise SettingsError(
                "status bands need 0 < amber_min_pct <= green_min_pct, got "
                f"amber_min_pct={self.amber_min_pct}, green_min_pct={self.green_min_pct}"
            )


@dataclass(frozen=True)
class Settings:
    bands: StatusBands
    scenario_rule: str
    accounts_file: str = "instance/accounts.json"  # relative to the repository, git-ignored
    login_to_read: bool = False  # the bundled demo is open to read; writing always needs a login
    report_due_days: int = 10  # a period's report is late this many days after the period ends


def load_settings(path: Path | None = None) -> Settings:
    """Read and validate the settings file (default: repo-root settings.toml)."""
    path = Path(path) if path is not None else DEFAULT_PATH
    with path.open("rb") as handle:
        try:
            raw = tomllib.load(handle)
        except tomllib.TOMLDecodeError as exc:
            raise SettingsError(f"{path}: not valid TOML: {exc}") from exc
    accounts = raw.get("accounts", {})
    if not isinstance(accounts, dict) or not isinstance(accounts.get("file", ""), str) \
            or not isinstance(accounts.get("login_to_read", False), bool):
        raise SettingsError(f"{path}: [accounts] needs file = \"…\" and login_to_read = true/false")
    reporting = raw.get("reporting", {})
    due_days = reporting.get("due_days", Settings.report_due_days) if isinstance(reporting, dict) \
        else None
    if not isinstance(due_days, int) or isinstance(due_days, bool) or not 0 <= due_days <= 90:
        raise SettingsError(f"{path}: [reporting] due_days must be a whole number of days, 0–90")
    return Settings(bands=_read_bands(raw, path), scenario_rule=_read_scenario_rule(raw, path),
                    accounts_file=accounts.get("file") or Settings.accounts_file,
                    login_to_read=accounts.get("login_to_read", False),
                    report_due_days=due_days)


def _read_bands(raw: dict, path: Path) -> StatusBands:
    section = _section(raw, "status", path)
    return StatusBands(
        green_min_pct=_number(section, "green_min_pct", path),
        amber_min_pct=_number(section, "amber_min_pct", path),
    )


def _read_scenario_rule(raw: dict, path: Path) -> str:
    section = _section(raw, "scenario", path)
    rule = section.get("derive")
    if rule not in SCENARIO_RULES:
        raise SettingsError(
            f"{path}: [scenario] derive must be one of {sorted(SCENARIO_RULES)}, got {rule!r}"
        )
    return rule


def _section(raw: dict, name: str, path: Path) -> dict:
    section = raw.get(name)
    if not isinstance(section, dict):
        raise SettingsError(f"{path}: missing [{name}] section")
    return section


def _number(section: dict, key: str, path: Path) -> float:
    value = section.get(key)
    # bool is an int subclass; `true` in the file is a typo, not 1.
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise SettingsError(f"{path}: {key} must be a number, got {value!r}")
    return float(value)
