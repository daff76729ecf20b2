"""The project's own files agree: dependencies in two places, the two README commands, CI, make help."""

from __future__ import annotations

import re
import subprocess
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _name(requirement: str) -> tuple[str, str]:
    match = re.match(r"\s*([A-Za-z0-9_.\-]+)(\[[^\]]*\])?\s*(.*)", requirement)
    return match.group(1).lower().replace("_", "-"), match.group(3).replace(" ", "")


def _pyproject_requirements() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    reqs = list(project["dependencies"])
    for _extra, items in project["optional-dependencies"].items():
        reqs += [r for r in items if not r.startswith("leadlib")]
    return dict(_name(r) for r in reqs)


def _environment_requirements() -> tuple[dict[str, str], list[str]]:
    text = (ROOT / "environment.yml").read_text().split("dependencies:", 1)[1]
    items = re.findall(r"^\s+-\s+(.+?)\s*(?:#.*)?$", text, flags=re.M)
    conda, pip = {}, []
    for item in items:
        if item in ("pip", "pip:") or item.startswith("python="):
            continue
        if item.startswith("-e ") or item.startswith("."):
            pip.append(item)
            continue
        name, spec = _name(item)
        conda[name] = spec
    return conda, pip


def test_environment_yml_lists_the_same_dependencies_as_pyproject():
    conda, pip = _environment_requirements()
    assert conda == _pyproject_requirements()
    assert pip == ["-e . --no-deps"], "leadlib itself is installed from the checkout, its dependencies by conda"
    assert "python=3.11" in (ROOT / "environment.yml").read_text()


def test_dev_extra_installs_everything():
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    dev = extras["dev"]
    others = [name for name in extras if name != "dev"]
    assert dev == [f"leadlib[{','.join(others)}]"]


def test_readme_starts_with_the_two_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first_block = readme.split("```")[1]
    commands = [line.split("#")[0].strip() for line in first_block.splitlines()[1:] if line.strip()]
    assert commands == ["make report", "make test"]
    assert readme.index("make report") < readme.index("## ")


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text()
    assert re.search(r"^make test\s*$", ci, flags=re.M)


def test_make_help_lists_every_target_with_a_comment():
    makefile = (ROOT / "Makefile").read_text()
    targets = re.findall(r"^([a-z][a-z-]*):", makefile, flags=re.M)
    documented = re.findall(r"^([a-z][a-z-]*):.*## ", makefile, flags=re.M)
    phony = re.search(r"^\.PHONY:(.*)$", makefile, flags=re.M).group(1).split()
    assert set(phony) <= set(documented)
    out = subprocess.run(["make", "-s", "help"], cwd=ROOT, capture_output=True, text=True).stdout
    for target in documented:
        assert f"make {target}" in out
    assert {"report", "test", "lab"} <= set(targets)


def _recipe(target: str) -> tuple[list[str], list[str]]:
    """A Makefile target's prerequisites and the commands of its recipe."""
    makefile = (ROOT / "Makefile").read_text()
    match = re.search(rf"^{target}:([^#\n]*)(?:##[^\n]*)?\n((?:\t[^\n]*\n)*)", makefile, flags=re.M)
    assert match, f"no target {target}"
    return match.group(1).split(), [line.strip() for line in match.group(2).splitlines()]


def test_the_quality_gate_runs_in_make_test_and_make_check():
    prerequisites, commands = _recipe("lint")
    assert any(c.endswith("ruff check .") for c in commands)
    assert any(c.endswith("ruff format --check .") for c in commands)
    assert any(c.endswith("lint-imports") for c in commands)
    for target in ("test", "check"):
        assert "lint" in _recipe(target)[0], f"make {target} must run make lint first"


def test_pre_commit_runs_the_same_checks_as_make_lint():
    import yaml

    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    entries = [hook["entry"] for repo in config["repos"] for hook in repo["hooks"]]
    assert any(e.startswith("ruff check") for e in entries)
    assert any(e.startswith("ruff format") and "--check" in e for e in entries)
    assert "lint-imports" in entries


def test_version_is_written_once():
    from leadlib import __version__
    from leadlib._version import __version__ as written

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert "version" not in project and "version" in project["dynamic"]
    assert __version__ == written
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert re.search(rf"^## \[{re.escape(written)}\] - \d{{4}}-\d{{2}}-\d{{2}}$", changelog, flags=re.M), (
        "CHANGELOG.md has a dated section for the version"
    )
