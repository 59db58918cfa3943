"""Writing a checked plan file (pillars.plan_file) to the database: `manage.py load_plan`.

Loading is idempotent: every record is looked up by its natural key (an organisation's slug, a
pillar's number, an indicator's code, a row's place in its layout ...) and only created, or
saved, when the file says something the database does not; a second load of the same file
changes nothing. What the file does not mention is left as it is (targets and remarks written
in the browser stay), except the rows of a layout the file defines: the file gives them all.

Everything happens in one transaction: a refusal half-way (a locked period whose target the
file changes) writes nothing.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import models, transaction

from accounts.enums import AuditAction
from accounts.models import Organisation, User
from accounts.services import record_audit
from cases.models import ServiceType
from pillars.models import (
    BudgetGroup,
    BudgetLine,
    Indicator,
    Location,
    Period,
    Pillar,
    Programme,
    Remark,
    ReportLayout,
    ReportRow,
    ReportSection,
    SubProject,
    Target,
)
from pillars.plan_file import Label, Located, PlanFileError
from pillars.services import ensure_periods, set_target, write_remark


@dataclass
class PlanChanges:
    """What a load created and changed, per kind of record."""

    created: Counter = field(default_factory=Counter)
    changed: Counter = field(default_factory=Counter)
    removed: Counter = field(default_factory=Counter)

    @property
    def any(self) -> bool:
        return bool(self.created or self.changed or self.removed)

    def summary(self) -> str:
        parts = []
        for verb, counts in (
            ("created", self.created),
            ("changed", self.changed),
            ("removed", self.removed),
        ):
            if counts:
                detail = ", ".join(f"{count} {name}" for name, count in sorted(counts.items()))
                parts.append(f"{verb}: {detail}")
        return "; ".join(parts) or "nothing to change"


@transaction.atomic
def load_plan(plan: Located, *, source: str, by: User | None = None) -> PlanChanges:
    """Write the checked plan ``plan`` (read from ``source``). Returns what changed; raises
    PlanFileError, with nothing written, where the database refuses part of it."""
    loader = _PlanLoader(plan, source=source, by=by)
    loader.load()
    if loader.changes.any:
        record_audit(
            AuditAction.UPDATE,
            loader.programme,
            by=by,
            detail=f"plan loaded from {source}: {loader.changes.summary()}",
        )
    return loader.changes


class _PlanLoader:
    def __init__(self, plan, *, source, by):
        self.plan = plan
        self.source = source
        self.by = by
        self.changes = PlanChanges()
        # Records this load created: filling them in later is part of creating them.
        self.created = set()

    def load(self) -> None:
        for entry in self.plan["organisations"]:
            self.save(
                Organisation,
                {"slug": entry["slug"]},
                {key: entry[key] for key in ("name", "country", "city", "time_zone")}
                | {"code_prefix": entry["code_prefix"]},
            )
        self.programme = self.save_programme(self.plan["programme"])
        self.pillars = {
            entry["number"]: self.save(
                Pillar, {"programme": self.programme, "number": entry["number"]}, {}, entry
            )
            for entry in self.plan["pillars"]
        }
        for model, section in ((SubProject, "sub_projects"), (Location, "locations")):
            for entry in self.plan[section]:
                values = {"country": entry["country"]} if model is Location else {}
                self.save(model, {"code": entry["code"]}, values, entry, labels={"name": "name"})
        for order, entry in enumerate(self.plan["service_types"]):
            self.save(
                ServiceType,
                {"code": entry["code"]},
                {"default_unit": entry["unit"], "order": order},
                entry,
                labels={"name": "name"},
            )
        self.indicators = self.save_indicators()
        self.layouts = {layout["name"]: self.save_layout(layout) for layout in self.plan["layouts"]}
        self.periods = self.save_periods()
        self.save_targets_and_remarks()
        self.save_budget()

    # -- one record ----------------------------------------------------------------------------

    def save(self, model, key: dict, values: dict, entry=None, *, labels=None):
        """Create the record ``key`` identifies, or bring it to ``values`` (and the labels of
        ``entry`` in every language it gives: ``labels`` maps the file's keys to the model's
        fields); saves only what differs."""
        for entry_key, field_name in (labels or {"name": "name"}).items():
            if entry is not None and isinstance(entry.get(entry_key), Label):
                values |= self.label_fields(model, field_name, entry[entry_key])
        record = model.objects.filter(**key).first()
        name = model._meta.verbose_name_plural
        if record is None:
            self.changes.created[name] += 1
            record = self.checked_save(model(**key, **values), entry)
            self.created.add((model, record.pk))
            return record
        differing = [field for field, value in values.items() if _differs(record, field, value)]
        if differing:
            for field_name in differing:
                setattr(record, field_name, values[field_name])
            if hasattr(record, "version"):
                # A form opened on the record before the load is stale now.
                record.version += 1
                differing.append("version")
            if (model, record.pk) not in self.created:
                self.changes.changed[name] += 1
            self.checked_save(record, entry, update_fields=differing)
        return record

    def checked_save(self, record, entry, **options):
        try:
            record.full_clean(exclude=_relations(record), validate_unique=False)
        except ValidationError as error:
            self.refuse(entry, "; ".join(error.messages))
        record.save(**options)
        return record

    def label_fields(self, model, name: str, label: Label) -> dict:
        """{field: text} of a label: the English field, and each translation the model stores
        (`name_ro`, `name_nl`); a translation with nowhere to go is refused, not dropped."""
        fields = {name: label.english}
        stored = {field.name for field in model._meta.get_fields()}
        for language, text in label.translations.items():
            field_name = f"{name}_{language}"
            if field_name not in stored:
                self.refuse(
                    label,
                    f"{model._meta.verbose_name} labels are not translated yet; "
                    f"remove the {language!r} text",
                )
            fields[field_name] = text
        return fields

    def refuse(self, entry, message: str):
        line = getattr(entry, "line", 0)
        raise PlanFileError([f"{self.source}, line {line}: {message}"])

    # -- the parts of the plan -----------------------------------------------------------------

    def save_programme(self, entry) -> Programme:
        return self.save(
            Programme,
            {"name": entry["name"]},
            {
                "start_date": entry["start"],
                "end_date": entry["end"],
                "currency": entry["currency"],
            },
            labels={},
        )

    def save_indicators(self) -> dict:
        indicators = {}
        for order, entry in enumerate(self.plan["indicators"]):
            indicators[entry["code"]] = self.save(
                Indicator,
                {"programme": self.programme, "code": entry["code"]},
                {
                    "pillar": self.pillars[entry["pillar"]],
                    "unit": entry["unit"],
                    "computation": entry["computation"],
                    "parameters": dict(entry["parameters"]),
                    "order": order,
                },
                entry,
                labels={"label": "label"},
            )
        return indicators

    def save_layout(self, entry) -> dict:
        """The layout and its rows; returns {row key: row}."""
        layout = self.save(
            ReportLayout, {"programme": self.programme, "name": entry["name"]}, {}, labels={}
        )
        rows = {}
        for section_entry in entry["sections"]:
            section = self.save(
                ReportSection,
                {"layout": layout, "pillar": self.pillars[section_entry["pillar"]]},
                {},
                section_entry,
                labels={"heading": "heading"},
            )
            for position, row in enumerate(section_entry["rows"], start=1):
                rows[row["key"]] = self.save(
                    ReportRow,
                    {"section": section, "position": position},
                    {
                        "indicator": self.indicators.get(row.get("indicator")),
                        "editor_note": row["note"],
                    },
                    row,
                    labels={"label": "label", "subrow": "subrow_label"},
                )
            self.remove(
                ReportRow.objects.filter(section=section, position__gt=len(section_entry["rows"]))
            )
        return {"layout": layout, "rows": rows}

    def remove(self, queryset) -> None:
        removed, _by_model = queryset.delete()
        if removed:
            self.changes.removed[queryset.model._meta.verbose_name_plural] += removed

    def save_periods(self) -> dict:
        programme_entry = self.plan["programme"]
        before = set(Period.objects.filter(programme=self.programme).values_list(*_PERIOD_STATE))
        self.programme = self.save(
            Programme,
            {"pk": self.programme.pk},
            {
                "year_layout": self.layout_named(programme_entry, "year_layout"),
                "programme_layout": self.layout_named(programme_entry, "programme_layout"),
            },
            labels={},
        )
        periods = ensure_periods(self.programme)
        titles = {entry["period"]: entry["title"] for entry in self.plan["periods"]}
        for period in periods:
            title = titles.get(period.label)
            if title is not None and title != period.title:
                period.title = title
                period.save(update_fields=["title"])
        after = set(Period.objects.filter(programme=self.programme).values_list(*_PERIOD_STATE))
        labels_before = {state[0] for state in before}
        for state in after - before:
            counts = self.changes.changed if state[0] in labels_before else self.changes.created
            counts[Period._meta.verbose_name_plural] += 1
        return {period.label: period for period in periods}

    def layout_named(self, entry, key) -> ReportLayout:
        name = entry[key]
        if name in self.layouts:
            return self.layouts[name]["layout"]
        layout = ReportLayout.objects.filter(programme=self.programme, name=name).first()
        if layout is None:
            self.refuse(entry, f"unknown layout {name!r} for this programme")
        return layout

    def save_targets_and_remarks(self) -> None:
        for entry in self.plan["periods"]:
            period = self.periods[entry["period"]]
            for code, value in entry["targets"].items():
                self.save_target(self.indicators[code], period, value, entry["targets"], code)
            rows = self.rows_of(period)
            for key, text in entry["remarks"].items():
                self.save_remark(rows[key], period, text.strip(), entry["remarks"], key)

    def rows_of(self, period) -> dict:
        for layout in self.layouts.values():
            if layout["layout"].pk == period.layout_id:
                return layout["rows"]
        return {}

    def save_target(self, indicator, period, value, targets, code) -> None:
        current = Target.objects.filter(indicator=indicator, period=period).first()
        if current is not None and current.value == value:
            return
        counts = self.changes.created if current is None else self.changes.changed
        counts[Target._meta.verbose_name_plural] += 1
        self.through_domain(set_target, targets.line_of(code), indicator, period, value, by=self.by)

    def save_remark(self, row, period, text, remarks, key) -> None:
        current = Remark.objects.filter(row=row, period=period).first()
        if current is not None and current.text == text:
            return
        counts = self.changes.created if current is None else self.changes.changed
        counts[Remark._meta.verbose_name_plural] += 1
        self.through_domain(write_remark, remarks.line_of(key), row, period, text, by=self.by)

    def through_domain(self, function, line, *args, **kwargs) -> None:
        try:
            function(*args, **kwargs)
        except ValidationError as error:
            raise PlanFileError(
                [f"{self.source}, line {line}: {'; '.join(error.messages)}"]
            ) from None

    def save_budget(self) -> None:
        for group_order, group_entry in enumerate(self.plan["budget"]):
            group = self.save(
                BudgetGroup,
                {"programme": self.programme, "order": group_order},
                {},
                group_entry,
                labels={"subtotal": "subtotal_label"},
            )
            for order, line in enumerate(group_entry["lines"]):
                self.save(
                    BudgetLine,
                    {"group": group, "order": order},
                    {
                        "budget": line["amount"],
                        "pillar": self.pillars.get(line.get("pillar")),
                        "is_exchange_difference": line["exchange_difference"],
                    },
                    line,
                    labels={"label": "label"},
                )


_PERIOD_STATE = ("label", "kind", "start_date", "end_date", "layout_id", "title")


def _differs(record, name: str, value) -> bool:
    if isinstance(value, models.Model) or value is None:
        field = record._meta.get_field(name)
        if field.is_relation:
            return getattr(record, field.attname) != (value.pk if value is not None else None)
    return getattr(record, name) != value


def _relations(record) -> list[str]:
    # Foreign keys are set from records loaded above; checking them again costs a query each.
    return [field.name for field in record._meta.concrete_fields if field.is_relation]
