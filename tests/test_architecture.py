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
        if is_view_or_selector(path) and "scopes_disabled" in path.read_text()
    ]
    assert offenders == []


def is_view_or_selector(path):
    # An app's views may be one module or a package of modules (cases/views/ by audience).
    return path.name in ("views.py", "selectors.py") or "views" in path.parent.parts[-1:]


def test_every_form_page_takes_its_status_from_the_one_idiom():
    """An invalid form answers 400 on every page: views render forms through
    nextsteps.views (form_page, render_form, form_status), never with a status of their own."""
    offenders = [
        str(path.relative_to(ROOT))
        for app in [*APPS, "reports"]
        for path in python_files(app)
        if is_view_or_selector(path)
        and path != ROOT / "nextsteps" / "views.py"
        and ".errors else" in path.read_text()
    ]
    assert offenders == []


def test_the_views_of_casework_are_split_by_audience():
    modules = {path.stem for path in (ROOT / "cases" / "views").glob("*.py")}
    assert {"casework", "referrals", "data_protection"} <= modules
    assert not (ROOT / "cases" / "views.py").exists()
