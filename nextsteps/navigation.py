"""The main navigation: which sections a role sees, and which one the current page belongs to
(marked `aria-current`, so a screen reader and the eye both know where they are)."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Section:
    permission: str
    url_name: str
    label: Promise
    # Paths that belong to this section though they do not start with its own URL.
    also: tuple[str, ...] = ()
    # What waits in this section, counted beside its name: a key of the counts given to
    # main_navigation, and what the count means for a screen reader.
    count: str = ""
    count_label: Promise | None = None


SECTIONS = [
    Section(
        "record_casework",
        "cases:home",
        _("Casework"),
        count="overdue_tasks",
        count_label=_("tasks overdue"),
    ),
    Section("record_casework", "cases:beneficiary_list", _("People")),
    Section(
        "record_casework",
        "cases:referral_inbox",
        _("Referrals"),
        count="referrals_awaiting_answer",
        count_label=_("awaiting your answer"),
    ),
    Section(
        "manage_activities",
        "pillars:activity_list",
        _("Activities"),
        also=("/plan/volunteers/", "/plan/safety-nets/"),
    ),
    Section("view_aggregates", "pillars:indicator_plan", _("Indicators"), also=("/plan/",)),
    Section("view_aggregates", "reports:home", _("Reports")),
    Section("view_aggregates", "reports:dashboard", _("Dashboards")),
    Section("manage_budget", "pillars:budget", _("Budget")),
    Section(
        "view_audit_log",
        "accounts:data_protection_home",
        _("Data protection"),
        also=("/cases/data-requests/",),
    ),
    Section("manage_users", "accounts:administration_home", _("Administration")),
    Section("import_spreadsheets", "imports:spreadsheet", _("Import")),
]


@dataclass(frozen=True)
class Link:
    url: str
    label: Promise
    # "page" on the section's own page, "true" inside it, None elsewhere (aria-current).
    current: str | None
    count: int = 0
    count_label: Promise | None = None


def main_navigation(
    path: str, permissions: set[str], counts: dict[str, int] | None = None
) -> list[Link]:
    """The sections ``permissions`` open, the one that holds ``path`` marked current: the
    section whose URL (or other path) is the longest start of ``path``. ``counts``: what waits
    in a section (Section.count), shown beside its name."""
    counts = counts or {}
    sections = [section for section in SECTIONS if section.permission in permissions]
    urls = {section: reverse(section.url_name) for section in sections}
    matches = [
        (len(prefix), section)
        for section in sections
        for prefix in (urls[section], *section.also)
        if path.startswith(prefix)
    ]
    current = max(matches, key=lambda match: match[0])[1] if matches else None
    return [
        Link(
            url=urls[section],
            label=section.label,
            current=("page" if path == urls[section] else "true") if section == current else None,
            count=counts.get(section.count, 0) if section.count else 0,
            count_label=section.count_label,
        )
        for section in sections
    ]
