"""Prepare a Home Assistant configuration directory to run this repository's code.

Shared by `scripts/develop` and the end-to-end tests, so the tests prove what develop
does. Every step is safe to repeat (develop runs them on every start):

- `custom_components/<integration>`: a symlink to this repository per integration (edits
  are live after a restart); a real folder there (an installed copy) is kept.
- `blueprints/<domain>/<folder>`: a **copy** of this repository's blueprints, synced
  (new and changed files copied, removed ones deleted). Home Assistant does not follow
  a symlinked blueprint folder (its `glob("**/*.yaml")` skips links), so a link would
  list no blueprint. Only the folders this repository ships are touched.
- `automations.yaml` and `scripts.yaml` when missing (the config API writes to them).
- onboarding's location step marked done before the first start (see
  `skip_location_step`).

Command line (what `scripts/develop` runs before starting Home Assistant):

    python -m scripts.ha_config config
"""

from __future__ import annotations

import argparse
import filecmp
import json
from pathlib import Path
import shutil

ROOT = Path(__file__).resolve().parents[1]
INCLUDES = {"automations.yaml": "[]\n", "scripts.yaml": "{}\n"}


def link_integrations(config_dir: Path, root: Path = ROOT) -> list[Path]:
    """Link each integration of `root` into the configuration; return kept copies."""
    custom = config_dir / "custom_components"
    custom.mkdir(parents=True, exist_ok=True)
    kept: list[Path] = []
    for source in sorted((root / "custom_components").iterdir()):
        if not (source / "manifest.json").is_file():
            continue
        target = custom / source.name
        if target.exists() and not target.is_symlink():
            kept.append(target)
            continue
        if target.is_symlink():
            target.unlink()
        target.symlink_to(source, target_is_directory=True)
    return kept


def blueprint_folders(root: Path = ROOT) -> list[Path]:
    """This repository's blueprint folders, relative: `<domain>/<folder>`."""
    base = root / "blueprints"
    return sorted(
        folder.relative_to(base)
        for domain in base.iterdir()
        if domain.is_dir()
        for folder in domain.iterdir()
        if folder.is_dir()
    )


def sync_blueprints(config_dir: Path, root: Path = ROOT) -> list[Path]:
    """Mirror the repository's blueprint folders into the configuration.

    Return the blueprint files of the configuration that came from this repository.
    A symlink left by an older `scripts/develop` is replaced by the copy.
    """
    synced: list[Path] = []
    for folder in blueprint_folders(root):
        source = root / "blueprints" / folder
        target = config_dir / "blueprints" / folder
        if target.is_symlink() or target.is_file():
            target.unlink()
        wanted = {path.relative_to(source) for path in source.rglob("*.yaml")}
        if target.is_dir():
            for path in sorted(target.rglob("*.yaml"), reverse=True):
                if path.relative_to(target) not in wanted:
                    path.unlink()
        for relative in sorted(wanted):
            src, dst = source / relative, target / relative
            dst.parent.mkdir(parents=True, exist_ok=True)
            if not dst.is_file() or not filecmp.cmp(src, dst, shallow=False):
                shutil.copyfile(src, dst)
            synced.append(dst)
    return synced


def skip_location_step(config_dir: Path) -> None:
    """Mark onboarding's location step done before Home Assistant first starts.

    Finishing that step over the API starts the met, radio_browser, google_translate
    and shopping_list config flows, which install packages and go on the Internet.
    The location, time zone and units then come from configuration.yaml instead.
    """
    path = config_dir / ".storage" / "onboarding"
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    store = {
        "version": 4,
        "minor_version": 1,
        "key": "onboarding",
        "data": {"done": ["core_config"]},
    }
    path.write_text(json.dumps(store))


def prepare(config_dir: Path, root: Path = ROOT) -> list[Path]:
    """Every step of the module docstring; return the kept integration copies."""
    config_dir.mkdir(parents=True, exist_ok=True)
    for name, empty in INCLUDES.items():
        if not (config_dir / name).exists():
            (config_dir / name).write_text(empty)
    kept = link_integrations(config_dir, root)
    sync_blueprints(config_dir, root)
    skip_location_step(config_dir)
    return kept


def main() -> None:
    """Command line: prepare one configuration directory."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("config", type=Path, help="the configuration directory")
    args = parser.parse_args()
    for kept in prepare(args.config):
        print(f"Keeping {kept} (a copy, not a link to this repository)")


if __name__ == "__main__":
    main()
