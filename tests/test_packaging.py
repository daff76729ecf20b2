"""The project's own files agree (dependencies, README commands, CI, make help); the wheel carries the study."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

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


# ---------------------------------------------------------------------------
# The wheel carries the bundled study and the exercise masters (docs/teaching.md, section 2: JupyterHub)

BUNDLES = {"leadlib._bundled_data": "data", "leadlib._bundled_notebooks": "notebooks"}


def _setuptools() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]


def _shipped_data_file(relative: Path) -> bool:
    """Whether a file of data/ belongs in the wheel: the study, its README(s) and raw files, the .qdpx export."""
    parts = relative.parts
    if len(parts) == 1:
        return relative.suffix in (".toml", ".md")
    if parts[0] == "raw":
        return not any(part.startswith(".") for part in parts)
    return parts[0] == "exports" and len(parts) == 2 and relative.suffix == ".qdpx"


def test_every_package_of_leadlib_is_listed_and_the_bundles_map_to_their_folders():
    config = _setuptools()
    packages = set(config["packages"])
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "leadlib").rglob("__init__.py")}
    assert found <= packages, f"add to [tool.setuptools] packages in pyproject.toml: {sorted(found - packages)}"
    assert config["package-dir"] == BUNDLES
    for package, folder in BUNDLES.items():
        assert (ROOT / folder).is_dir()
        assert not (ROOT / "leadlib" / package.split(".")[1]).exists(), "a copy in leadlib/ would shadow the mapping"
        # every sub-folder the wheel ships is listed too (setuptools warns about a folder it was not told of)
        for pattern in config["package-data"][package]:
            top = pattern.split("/")[0]
            if "*" not in top:
                assert f"{package}.{top}" in packages


def test_in_the_checkout_the_paths_are_the_checkouts():
    from leadlib import classroom, paths

    assert paths.IN_CHECKOUT
    assert paths.bundled_study_dir() == paths.DATA_DIR == ROOT / "data"
    assert paths.NOTEBOOKS_DIR == ROOT / "notebooks"
    assert paths.EXERCISES_DIR == ROOT / "notebooks" / "exercises"
    assert paths.BUNDLED_QDPX == ROOT / "data" / "exports" / "bundled-study.qdpx"
    assert classroom.versions._masters_dir() == paths.EXERCISES_DIR
    # the installed copies would be inside the package, under the mapped names
    assert paths.INSTALLED_DATA_DIR == paths.PACKAGE_DIR / "_bundled_data"
    assert paths.INSTALLED_NOTEBOOKS_DIR == paths.PACKAGE_DIR / "_bundled_notebooks"


def test_a_checkout_is_a_folder_with_leadlibs_pyproject(tmp_path):
    from leadlib.paths import _is_checkout

    assert _is_checkout(ROOT)
    assert not _is_checkout(tmp_path)  # site-packages: no pyproject.toml
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "someone-elses"\n', encoding="utf-8")
    assert not _is_checkout(tmp_path)  # leadlib vendored into another project
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "leadlib"\n', encoding="utf-8")
    assert _is_checkout(tmp_path)


def _run(args: list, **kwargs) -> subprocess.CompletedProcess:
    done = subprocess.run([str(a) for a in args], capture_output=True, text=True, **kwargs)
    assert done.returncode == 0, f"{' '.join(map(str, args))}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """A wheel built from a copy of the source files (so that the build writes nothing into the checkout)."""
    tmp = tmp_path_factory.mktemp("wheel")
    source = _mkdir(tmp / "leadlib-src")
    junk = shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints", ".leadlib-cache", "*.egg-info")
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy2(ROOT / name, source / name)
    for folder in ("leadlib", "data", "notebooks"):
        shutil.copytree(ROOT / folder, source / folder, ignore=junk)
    # the isolated build environment (setuptools>=77) comes from PyPI, as for any pip install from a git URL
    _run([sys.executable, "-m", "pip", "wheel", source, "--no-deps", "--quiet", "-w", tmp / "dist"])
    (built,) = (tmp / "dist").glob("leadlib-*.whl")
    return built


def _mkdir(path: Path) -> Path:
    path.mkdir(parents=True)
    return path


@pytest.mark.slow
def test_the_wheel_holds_the_bundled_study_and_the_exercise_masters(wheel):
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        data = {
            f"leadlib/_bundled_data/{p.relative_to(ROOT / 'data').as_posix()}": p
            for p in (ROOT / "data").rglob("*")
            if p.is_file() and _shipped_data_file(p.relative_to(ROOT / "data"))
        }
        masters = {
            f"leadlib/_bundled_notebooks/exercises/{p.name}": p for p in (ROOT / "notebooks/exercises").glob("*.ipynb")
        }
        assert len(masters) >= 5 and "leadlib/_bundled_data/study.toml" in data
        assert "leadlib/_bundled_data/exports/bundled-study.qdpx" in data
        assert len([n for n in data if n.startswith("leadlib/_bundled_data/raw/transcripts/")]) > 100
        shipped = {n for n in names if n.startswith(("leadlib/_bundled_data/", "leadlib/_bundled_notebooks/"))}
        assert shipped == set(data) | set(masters), shipped ^ (set(data) | set(masters))
        for name, path in {**data, **masters}.items():
            assert zf.read(name) == path.read_bytes(), name
        # the library itself is all there: every module of the checkout, and the report's assets
        library = [p for p in (ROOT / "leadlib").rglob("*.py") if "__pycache__" not in p.parts]
        library += [p for p in (ROOT / "leadlib" / "report" / "assets").rglob("*") if p.is_file()]
        missing = {p.relative_to(ROOT).as_posix() for p in library} - names
        assert not missing, sorted(missing)


@pytest.mark.slow
def test_installed_from_the_wheel_leadlib_finds_its_study_and_writes_the_classroom(wheel, tmp_path):
    import nbformat

    from leadlib import classroom, load_study

    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", venv])
    _run([venv / "bin" / "python", "-m", "pip", "install", "--quiet", "--no-deps", wheel])
    installed = Path(
        _run([venv / "bin" / "python", "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"]).stdout.strip()
    )
    # the dependencies: this environment's, after the wheel's own site-packages (so leadlib is the wheel's)
    ours = [p for p in sys.path if p.endswith("site-packages")]
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(installed), *ours]),
        "LEADLIB_CACHE_DIR": str(tmp_path / "cache"),
    }
    away = _mkdir(tmp_path / "elsewhere")  # outside the repository: no checkout on sys.path
    before = sorted((p.relative_to(installed).as_posix(), p.stat().st_mtime_ns) for p in installed.rglob("*"))
    probe = (
        "import json, leadlib, leadlib.paths as p\n"
        "s = leadlib.load_study()\n"
        "print(json.dumps({'module': leadlib.__file__, 'checkout': p.IN_CHECKOUT, 'study': str(p.bundled_study_dir()),"
        " 'exercises': str(p.EXERCISES_DIR), 'qdpx': p.BUNDLED_QDPX.is_file(),"
        " 'sizes': [len(s.sites), len(s.interviews), len(s.segments)]}))"
    )
    said = json.loads(_run([venv / "bin" / "python", "-c", probe], cwd=away, env=env).stdout.splitlines()[-1])
    package = installed / "leadlib"
    assert Path(said["module"]) == package / "__init__.py"
    assert said["checkout"] is False
    assert Path(said["study"]) == package / "_bundled_data"
    assert Path(said["exercises"]) == package / "_bundled_notebooks" / "exercises"
    assert said["qdpx"]
    here = load_study()  # the checkout's study: the installed copy is the same study
    assert said["sizes"] == [len(here.sites), len(here.interviews), len(here.segments)]

    _run([venv / "bin" / "leadlib", "classroom", "build", "--out", "my-class"], cwd=away, env=env)
    reference = classroom.build(tmp_path / "from-checkout")
    for side in ("student", "instructor"):
        written = sorted((away / "my-class" / side).glob("*.ipynb"))
        assert [p.name for p in written] == [p.name for p in reference[side]]
        for mine, theirs in zip(written, reference[side]):  # same notebooks as from the checkout, links included
            assert nbformat.read(mine, as_version=4) == nbformat.read(theirs, as_version=4), mine.name
    # nothing was written into the installation (a hub's shared install may be read-only)
    after = sorted((p.relative_to(installed).as_posix(), p.stat().st_mtime_ns) for p in installed.rglob("*"))
    assert [x for x in after if "__pycache__" not in x[0]] == [x for x in before if "__pycache__" not in x[0]]
