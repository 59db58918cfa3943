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


# Domain functions and selectors carry type hints, return included: the modules that change
# records (services) or read them for a page (selectors), and the modules of the same role
# (two-factor login, throttling and unusual access; sharing with partners and exports of
# people; the plan's computations, results and budget; the reports' builders).
DOMAIN_APPS = [
    "accounts",
    "cases",
    "documents",
    "exports",
    "imports",
    "notifications",
    "pillars",
    "reports",
]
DOMAIN_MODULES_BESIDE_SERVICES_AND_SELECTORS = [
    "accounts/audit_export.py",
    "accounts/notices.py",
    "accounts/throttling.py",
    "accounts/two_factor.py",
    "accounts/unusual_access.py",
    "cases/exports.py",
    "cases/identity_index.py",
    "cases/sharing.py",
    "documents/encrypted_files.py",
    "imports/reading.py",
    "imports/sheets.py",
    "imports/values.py",
    "pillars/budget.py",
    "pillars/computations.py",
    "pillars/data_version.py",
    "pillars/plan_file.py",
    "pillars/plan_loading.py",
    "pillars/remarks.py",
    "pillars/results.py",
    "reports/charts.py",
    "reports/dashboards.py",
    "reports/export_kinds.py",
    "reports/exports.py",
    "reports/financial.py",
    "reports/links.py",
    "reports/records_export.py",
    "reports/tables.py",
]


def domain_modules():
    by_name = [
        ROOT / app / name
        for app in DOMAIN_APPS
        for name in ("services.py", "selectors.py")
        if (ROOT / app / name).exists()
    ]
    return by_name + [ROOT / name for name in DOMAIN_MODULES_BESIDE_SERVICES_AND_SELECTORS]


def unannotated_functions(source: str) -> list[str]:
    """Public functions and methods (at module level or in a public class) without a return
    annotation or with a parameter that has none (self and cls excepted). Names that start
    with an underscore are the module's own helpers."""
    found = []

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef):
                if not child.name.startswith("_"):
                    visit(child, f"{prefix}{child.name}.")
            elif isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                if child.name.startswith("_"):
                    continue
                arguments = child.args
                parameters = [
                    *arguments.posonlyargs,
                    *arguments.args,
                    *arguments.kwonlyargs,
                    *filter(None, [arguments.vararg, arguments.kwarg]),
                ]
                missing = [
                    parameter.arg
                    for parameter in parameters
                    if parameter.annotation is None and parameter.arg not in ("self", "cls")
                ]
                if child.returns is None:
                    missing.append("return")
                if missing:
                    found.append(f"{prefix}{child.name} ({', '.join(missing)})")

    visit(ast.parse(source), "")
    return found


def test_the_annotation_check_finds_what_is_missing():
    source = (
        "def complete(user: int, *, by: str) -> None: ...\n"
        "def no_return(user: int): ...\n"
        "def bare_parameter(user, by: str) -> int: ...\n"
        "def _private(user): ...\n"
        "class _Helper:\n"
        "    def rows(self, period): ...\n"
        "class Builder:\n"
        "    def rows(self, period) -> list: ...\n"
        "    @classmethod\n"
        "    def make(cls) -> 'Builder': ...\n"
    )

    assert unannotated_functions(source) == [
        "no_return (return)",
        "bare_parameter (user)",
        "Builder.rows (period)",
    ]


def test_every_domain_function_and_selector_has_type_hints():
    offenders = [
        f"{path.relative_to(ROOT)}: {function}"
        for path in domain_modules()
        for function in unannotated_functions(path.read_text())
    ]
    assert offenders == []
