"""CI and production install from the hashed lock files (`make lock` writes them): every
requirement must be pinned there, at a version its range allows, with hashes."""

from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
LOCKS = {"requirements.txt": "requirements.lock", "requirements-dev.txt": "requirements-dev.lock"}


def requirements_of(path: Path) -> list[Requirement]:
    """The requirements a file names, following its `-r` includes."""
    found = []
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith("-r "):
            found += requirements_of(path.parent / line[3:].strip())
        elif line:
            found.append(Requirement(line))
    return found


def pins_of(path: Path) -> dict[str, str]:
    """Package → pinned version, for the entries that carry a hash."""
    pins = {}
    text = path.read_text().replace("\\\n", " ")
    for line in text.splitlines():
        if "==" in line and not line.lstrip().startswith("#"):
            name, rest = line.split("==", 1)
            version = rest.split()[0]
            assert "--hash=sha256:" in rest, f"{name} is pinned without a hash in {path.name}"
            pins[canonicalize_name(name.strip())] = version
    return pins


@pytest.mark.parametrize(("requirements", "lock"), LOCKS.items())
def test_every_requirement_is_pinned_with_a_hash_in_its_range(requirements, lock):
    pins = pins_of(ROOT / lock)
    for requirement in requirements_of(ROOT / requirements):
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{requirement.name} is missing from {lock}: run `make lock`"
        assert requirement.specifier.contains(pins[name], prereleases=True), (
            f"{lock} pins {requirement.name} {pins[name]}, outside {requirement.specifier}: "
            "run `make lock`"
        )


def test_the_runtime_lock_agrees_with_the_development_lock():
    runtime, development = (
        pins_of(ROOT / "requirements.lock"),
        pins_of(ROOT / "requirements-dev.lock"),
    )
    assert {name: development.get(name) for name in runtime} == runtime
