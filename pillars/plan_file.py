"""Reading and checking a programme plan file (plans/*.yaml; the format is documented in
plans/README.md).

The whole file is checked before anything is written: every problem is reported with the line
it is on, so that whoever maintains the file can fix them all in one go. What comes out is the
file's content with its values checked and normalised (dates as dates, labels as
{language: text}); pillars.plan_loading writes it.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml
from django.conf import settings

from accounts.enums import Country
from accounts.models import Organisation
from cases.enums import Unit as ServiceUnit
from cases.models import ServiceType
from pillars.computations import PARAMETER_KINDS, parameters_of
from pillars.enums import ComputationKind, Currency, Unit
from pillars.models import Location, ReportLayout, SubProject
from pillars.services import period_labels

FORMAT_VERSION = 1
LANGUAGES = [code for code, _name in settings.LANGUAGES]


class PlanFileError(Exception):
    """The plan file cannot be loaded; ``problems`` lists each one as "file, line N: what"."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


class Located(dict):
    """A mapping of the file that knows the line it starts on and the line of each key."""

    line: int = 0
    key_lines: dict

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)

    @classmethod
    def empty(cls, line: int) -> "Located":
        mapping = cls()
        mapping.line, mapping.key_lines = line, {}
        return mapping


class _Loader(yaml.SafeLoader):
    """YAML's safe loader, keeping line numbers and refusing a key given twice (which YAML
    would otherwise silently let the last one win)."""


def _construct_mapping(loader, node):
    loader.flatten_mapping(node)
    mapping = Located()
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if key in mapping:
            raise PlanFileError([f"line {line}: {key!r} is given twice"])
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[key] = line
    return mapping


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


@dataclass(frozen=True)
class Label:
    """A label in English (what the printed reports use) and its translations."""

    english: str
    translations: dict
    line: int


def read_plan(path: str | Path) -> Located:
    """The checked content of the plan file at ``path``; PlanFileError names every problem."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise PlanFileError([f"{path}: cannot be read ({error.__class__.__name__})"]) from None
    try:
        content = yaml.load(text, Loader=_Loader)  # noqa: S506  (a safe loader, see _Loader)
    except PlanFileError as error:
        raise PlanFileError([f"{path}, {problem}" for problem in error.problems]) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f", line {mark.line + 1}" if mark else ""
        problem = getattr(error, "problem", None) or "not valid YAML"
        raise PlanFileError([f"{path}{where}: {problem}"]) from None
    checker = _Checker(path)
    checker.check(content)
    if checker.problems:
        raise PlanFileError(checker.problems)
    return content


# Sections of the file, and the keys each entry of them may have.
SECTIONS = {
    "format": None,
    "organisations": {"slug", "name", "country", "city", "time_zone", "code_prefix"},
    "programme": {"name", "start", "end", "currency", "year_layout", "programme_layout"},
    "pillars": {"number", "name"},
    "sub_projects": {"code", "name"},
    "locations": {"code", "name", "country"},
    "service_types": {"code", "name", "unit"},
    "indicators": {"code", "pillar", "label", "unit", "computation", "parameters"},
    "layouts": {"name", "sections"},
    "periods": {"period", "title", "targets", "remarks"},
    "budget": {"subtotal", "lines"},
}
REQUIRED_SECTIONS = ["format", "programme"]
SECTION_KEYS = {"heading", "pillar", "rows"}
ROW_KEYS = {"key", "indicator", "label", "subrow", "note"}
BUDGET_LINE_KEYS = {"label", "amount", "pillar", "exchange_difference"}


class _Checker:
    """Walks the file once, normalising values in place and collecting problems."""

    def __init__(self, path):
        self.path = path
        self.problems = []

    def problem(self, line: int, message: str) -> None:
        self.problems.append(f"{self.path}, line {line}: {message}")

    # -- the parts of the file ---------------------------------------------------------------

    def check(self, content) -> None:
        if not isinstance(content, Located):
            self.problem(1, "a plan file is a mapping of sections (see plans/README.md)")
            return
        for key in content:
            if key not in SECTIONS:
                self.problem(
                    content.line_of(key),
                    f"unknown section {key!r}; known: {', '.join(SECTIONS)}",
                )
        for key in REQUIRED_SECTIONS:
            if key not in content:
                self.problem(content.line, f"the section {key!r} is missing")
        if self.problems:
            return
        if content["format"] != FORMAT_VERSION:
            self.problem(
                content.line_of("format"), f"format {content['format']!r} is not {FORMAT_VERSION}"
            )
        for name, keys in SECTIONS.items():
            if keys is not None and name != "programme":
                content[name] = self.entries(content, name, keys)
        self.programme(content)
        self.organisations(content["organisations"])
        self.reference_data(content)
        pillars = self.pillars(content["pillars"])
        indicators = self.indicators(content["indicators"], pillars)
        layouts = self.layouts(content["layouts"], pillars, indicators)
        self.layouts_of_periods(content["programme"], layouts)
        self.periods(content, layouts, indicators)
        self.budget(content["budget"], pillars)

    def programme(self, content) -> None:
        programme = content["programme"]
        if not isinstance(programme, Located):
            self.problem(content.line_of("programme"), "the programme is a mapping")
            content["programme"] = Located.empty(content.line_of("programme"))
            return
        self.keys(programme, SECTIONS["programme"], "the programme")
        self.text(programme, "name")
        start = self.date(programme, "start")
        end = self.date(programme, "end")
        if start and end and end < start:
            self.problem(programme.line_of("end"), "the programme ends before it starts")
        self.choice(programme, "currency", Currency.values, default=Currency.EUR)
        self.text(programme, "year_layout")
        self.text(programme, "programme_layout")

    def organisations(self, entries) -> None:
        self.unique(entries, "slug")
        for entry in entries:
            for key in ("slug", "name", "city"):
                self.text(entry, key)
            self.choice(entry, "country", Country.values)
            self.choice(
                entry, "time_zone", settings.ORGANISATION_TIME_ZONES, default="Europe/Bucharest"
            )
            self.text(entry, "code_prefix")
            prefix = entry.get("code_prefix")
            if isinstance(prefix, str) and not (prefix.isalpha() and len(prefix) <= 5):
                self.problem(entry.line_of("code_prefix"), "a code prefix is up to 5 letters")

    def reference_data(self, content) -> None:
        for section in ("sub_projects", "locations", "service_types"):
            self.unique(content[section], "code")
            for entry in content[section]:
                self.text(entry, "code")
                self.label(entry, "name")
        for entry in content["locations"]:
            self.text(entry, "country")
        for entry in content["service_types"]:
            self.choice(entry, "unit", ["", *ServiceUnit.values], default="")
        self.known = {
            "accounts.Organisation": _codes(content["organisations"], "slug", Organisation, "slug"),
            "pillars.Location": _codes(content["locations"], "code", Location, "code"),
            "pillars.SubProject": _codes(content["sub_projects"], "code", SubProject, "code"),
            "cases.ServiceType": _codes(content["service_types"], "code", ServiceType, "code"),
        }

    def pillars(self, entries) -> set:
        self.unique(entries, "number")
        for entry in entries:
            self.number(entry, "number")
            self.label(entry, "name")
        return {entry.get("number") for entry in entries}

    def indicators(self, entries, pillars) -> set:
        self.unique(entries, "code")
        for entry in entries:
            self.text(entry, "code")
            self.pillar(entry, "pillar", pillars)
            self.label(entry, "label")
            self.choice(entry, "unit", Unit.values)
            if self.choice(entry, "computation", ComputationKind.values):
                self.parameters(entry)
        return {entry.get("code") for entry in entries}

    def parameters(self, indicator) -> None:
        parameters = self.mapping(indicator, "parameters")
        known = parameters_of(indicator["computation"])
        for name, value in list(parameters.items()):
            line = parameters.line_of(name)
            if name not in known:
                self.problem(
                    line,
                    f"unknown parameter {name!r} for the computation "
                    f"{indicator['computation']!r}; known: {', '.join(known) or 'none'}",
                )
                continue
            parameters[name] = self.parameter_value(PARAMETER_KINDS[name], name, value, line)

    def parameter_value(self, kind, name, value, line):
        if kind.boolean:
            if not isinstance(value, bool):
                self.problem(line, f"{name} is true or false")
            return value
        values = value if isinstance(value, list) else [value]
        if not kind.many and len(values) != 1:
            self.problem(line, f"{name} takes one value")
        known = (
            set(self.known[kind.reference[0]])
            if kind.reference
            else {str(item) for item in kind.vocabulary.values}
        )
        for item in values:
            if str(item) not in known:
                self.problem(
                    line,
                    f"{name}: unknown value {item!r}; known: {', '.join(sorted(known)) or 'none'}",
                )
        codes = [str(item) for item in values]
        return codes if kind.many else (codes[0] if codes else "")

    def layouts(self, entries, pillars, indicators) -> dict:
        self.unique(entries, "name")
        layouts = {}
        for layout in entries:
            self.text(layout, "name")
            row_keys = set()
            sections = self.entries(layout, "sections", SECTION_KEYS)
            self.unique(sections, "pillar")
            for section in sections:
                self.pillar(section, "pillar", pillars)
                self.label(section, "heading")
                rows = self.entries(section, "rows", ROW_KEYS)
                for row in rows:
                    self.row(row, indicators, row_keys)
                section["rows"] = rows
            layout["sections"] = sections
            layouts[layout.get("name")] = row_keys
        return layouts

    def row(self, row, indicators, row_keys) -> None:
        self.label(row, "label")
        self.label(row, "subrow", required=False)
        self.text(row, "note", required=False)
        indicator = row.get("indicator")
        if indicator is not None and indicator not in indicators:
            self.problem(row.line_of("indicator"), f"unknown indicator {indicator!r}")
        key = row.get("key", indicator)
        if key is None:
            self.problem(row.line, "a row without an indicator needs a key")
        elif key in row_keys:
            self.problem(
                row.line, f"the key {key!r} is used twice in this layout; give the row a key"
            )
        row["key"] = key
        row_keys.add(key)

    def layouts_of_periods(self, programme, layouts) -> None:
        existing = set(ReportLayout.objects.values_list("name", flat=True))
        for key in ("year_layout", "programme_layout"):
            name = programme.get(key)
            if isinstance(name, str) and name not in layouts and name not in existing:
                self.problem(programme.line_of(key), f"unknown layout {name!r}")

    def periods(self, content, layouts, indicators) -> None:
        programme = content["programme"]
        start, end = programme.get("start"), programme.get("end")
        dated = isinstance(start, date) and isinstance(end, date) and start <= end
        labels = period_labels(start, end) if dated else []
        self.unique(content["periods"], "period")
        for entry in content["periods"]:
            label = entry.get("period")
            entry["period"] = label = str(label) if label is not None else None
            if label not in labels:
                self.problem(
                    entry.line_of("period"),
                    f"unknown period {label!r}; the programme's are {', '.join(labels)}",
                )
                continue
            self.text(entry, "title", required=False)
            layout = programme.get("programme_layout" if "-" in label else "year_layout")
            targets = self.mapping(entry, "targets")
            for code, value in targets.items():
                if code not in indicators:
                    self.problem(targets.line_of(code), f"unknown indicator {code!r}")
                if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                    self.problem(targets.line_of(code), "a target is a whole number, 0 or more")
            remarks = self.mapping(entry, "remarks")
            for key, text in remarks.items():
                if key not in layouts.get(layout, set()):
                    self.problem(
                        remarks.line_of(key),
                        f"unknown row {key!r} in the layout {layout!r} of period {label}",
                    )
                if not isinstance(text, str):
                    self.problem(remarks.line_of(key), "a remark is text")

    def budget(self, groups, pillars) -> None:
        for group in groups:
            self.label(group, "subtotal", required=False)
            lines = self.entries(group, "lines", BUDGET_LINE_KEYS)
            for line in lines:
                self.label(line, "label")
                self.amount(line, "amount")
                if "pillar" in line:
                    self.pillar(line, "pillar", pillars)
                line.setdefault("exchange_difference", False)
                if not isinstance(line["exchange_difference"], bool):
                    self.problem(line.line_of("exchange_difference"), "true or false")
            group["lines"] = lines

    # -- values ------------------------------------------------------------------------------

    def entries(self, parent, key, allowed) -> list:
        """The list of mappings under ``key`` (missing: an empty list)."""
        value = parent.get(key)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(item, Located) for item in value):
            self.problem(parent.line_of(key), f"{key} is a list of mappings")
            return []
        for item in value:
            self.keys(item, allowed, key)
        return value

    def keys(self, mapping, allowed, where) -> None:
        for key in mapping:
            if key not in allowed:
                self.problem(
                    mapping.line_of(key),
                    f"unknown key {key!r} in {where}; known: {', '.join(sorted(allowed))}",
                )

    def mapping(self, parent, key) -> Located:
        value = parent.get(key)
        if value is None:
            value = Located.empty(parent.line_of(key))
        elif not isinstance(value, Located):
            self.problem(parent.line_of(key), f"{key} is a mapping")
            value = Located.empty(parent.line_of(key))
        parent[key] = value
        return value

    def unique(self, entries, key) -> None:
        seen = set()
        for entry in entries:
            value = entry.get(key)
            if value in seen:
                self.problem(entry.line_of(key), f"{key} {value!r} is given twice")
            seen.add(value)

    def text(self, mapping, key, *, required=True) -> str | None:
        value = mapping.get(key)
        if value is None:
            if required:
                self.problem(mapping.line, f"{key} is missing")
            else:
                mapping[key] = ""
            return None
        if isinstance(value, bool) or not isinstance(value, str | int):
            self.problem(mapping.line_of(key), f"{key} is text (put it in quotes)")
            return None
        mapping[key] = str(value).strip()
        return mapping[key]

    def label(self, mapping, key, *, required=True) -> None:
        """A label is text (English) or a mapping of languages to text, English required."""
        value = mapping.get(key)
        line = mapping.line_of(key)
        if value is None and not required:
            mapping[key] = Label("", {}, line)
            return
        if isinstance(value, Located):
            unknown = [language for language in value if language not in LANGUAGES]
            if unknown:
                self.problem(
                    line, f"unknown language {unknown[0]!r}; known: {', '.join(LANGUAGES)}"
                )
            if not isinstance(value.get("en"), str) or not value["en"].strip():
                self.problem(line, f"{key} needs its English text (en)")
                return
            translations = {
                language: str(text).strip()
                for language, text in value.items()
                if language != "en" and text
            }
            mapping[key] = Label(value["en"].strip(), translations, line)
        elif self.text(mapping, key) is not None:
            mapping[key] = Label(mapping[key], {}, line)

    def choice(self, mapping, key, choices, *, default=None) -> bool:
        value = mapping.get(key, default)
        if value is None:
            self.problem(mapping.line, f"{key} is missing")
            return False
        if str(value) not in choices:
            self.problem(
                mapping.line_of(key),
                f"unknown {key} {value!r}; known: {', '.join(str(c) for c in choices if c)}",
            )
            return False
        mapping[key] = str(value)
        return True

    def number(self, mapping, key) -> None:
        value = mapping.get(key)
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            self.problem(mapping.line_of(key), f"{key} is a whole number from 1")

    def pillar(self, mapping, key, pillars) -> None:
        value = mapping.get(key)
        if value not in pillars:
            self.problem(
                mapping.line_of(key),
                f"unknown pillar {value!r}; the file's pillars are "
                f"{', '.join(str(number) for number in sorted(p for p in pillars if p))}",
            )

    def amount(self, mapping, key) -> None:
        value = mapping.get(key)
        try:
            if isinstance(value, bool) or value is None:
                raise InvalidOperation
            mapping[key] = Decimal(str(value))
        except InvalidOperation:
            self.problem(mapping.line_of(key), f"{key} is a number")

    def date(self, mapping, key) -> date | None:
        value = mapping.get(key)
        if isinstance(value, str):
            try:
                value = date.fromisoformat(value)
            except ValueError:
                value = None
        if not isinstance(value, date):
            self.problem(mapping.line_of(key), f"{key} is a date (YYYY-MM-DD)")
            return None
        mapping[key] = value
        return value


def _codes(entries, key, model, field) -> set:
    """Codes named in the file or already in the database."""
    return {entry.get(key) for entry in entries} | set(model.objects.values_list(field, flat=True))
