"""The demo's side of the Next Steps plan. The plan itself (programme, pillars, indicators, the
two printed layouts with their targets and remarks, the budget) is the partnership's real plan,
shipped as a data file (plans/next-steps-2021-2023.yaml) and loaded with `load_plan`; this module
holds only what the demo makes up beside it: what was spent on each budget line per year, and
the figures that no record can yield, entered by hand.

Source: the Annual Report 2022 and the final report of August 2021 - December 2023.
"""

from pathlib import Path

from django.conf import settings

PLAN_FILE = Path(settings.BASE_DIR) / "plans" / "next-steps-2021-2023.yaml"
# The partnership continued from 2024: a follow-on programme with made-up targets, so that what
# is logged today shows in this year's table and dashboards.
FOLLOW_ON_PLAN_FILE = Path(__file__).resolve().parent / "plans" / "next-steps-2024-2026.yaml"

# Actuals per budget line and year, in whole euros, as the financial report prints them.
ACTUALS = {
    "Staff costs": {2021: 20628, 2022: 46973, 2023: 51267},
    "General cost/ activities": {2021: 248, 2022: 2731, 2023: 3520},
    "Pillar 1. Offering perspective to recovery, access to aftercare": {
        2021: 5267,
        2022: 25619,
        2023: 19853,
    },
    "Pillar 2. Justice System Transformation": {2021: 3405, 2022: 35666, 2023: 14739},
    "Pillar 3. Addressing root causes via prevention and reducing vulnerability": {
        2021: 1239,
        2022: 2571,
        2023: 2880,
    },
    "Prevention among Ukranian refugees": {2021: 0, 2022: 5437, 2023: 23752},
    "Other cost + Admin": {2021: 14625, 2022: 11031, 2023: 15371},
    "Exchange rate differences": {2021: 0, 2022: -207, 2023: -347},
}

# Figures that no record can yield, entered by hand: (period, indicator) -> (value, source).
MANUAL_RESULTS = {
    ("2021-2023", "p2-strategic-partnerships"): (
        4,
        "Protocol agreements with police, prosecution, ANITP and social services",
    ),
}
