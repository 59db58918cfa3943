"""The dependency rules of DESIGN.md, checked on the source: `reports` is the read side and
nothing imports from it; the fictional demo lives apart and no app imports it; views and selectors
never switch the organisation scope off."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ["accounts", "cases", "pillars", "nextsteps"]


def python_files(app):
    return [path for path in (ROOT / app).rglob("*.py") if "migrations" not in path.parts]


def imported_modules(path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module


def test_nothing_imports_from_reports():
    offenders = [
        f"{path.relative_to(ROOT)} imports {module}"
        for app in APPS
        for path in python_files(app)
        for module in imported_modules(path)
        if module == "reports" or module.startswith("reports.")
    ]
    assert offenders == []


def test_no_app_imports_the_demo():
    offenders = [
        f"{path.relative_to(ROOT)} imports {module}"
        for app in [*APPS, "reports"]
        for path in python_files(app)
        for module in imported_modules(path)
        if module == "demo" or module.startswith("demo.")
    ]
    assert offenders == []


def test_the_apps_hold_no_demo_code():
    demo_modules = [
        str(path.relative_to(ROOT))
        for app in [*APPS, "reports"]
        for path in python_files(app)
        if "demo" in path.stem
    ]
    assert demo_modules == []


def test_views_and_selectors_never_disable_the_scope():
    offenders = [
        str(path.relative_to(ROOT))
        for app in [*APPS, "reports"]
        for path in python_files(app)
        if path.name in ("views.py", "selectors.py") and "scopes_disabled" in path.read_text()
    ]
    assert offenders == []
