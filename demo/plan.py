"""The Next Steps programme plan as the partnership's reports print it: pillars, indicators and
how each is computed, the two printed table layouts with their targets and remarks, and the
budget. Loaded by `load_demo`; the figures themselves come from the demo's records.

Sources: the Annual Report 2022 and the final report of August 2021 - December 2023. Where the
printed report looks misprinted, the printed text is kept and a `note` says what looks wrong.
"""

from dataclasses import dataclass, field
from datetime import date

from cases.enums import TAKEN_ON_REFERRAL_STATUSES, Category
from pillars.enums import ActivityKind, ComputationKind, Unit

PROGRAMME = {
    "name": "Next Steps",
    "start_date": date(2021, 8, 1),
    "end_date": date(2023, 12, 31),
    "currency": "EUR",
}
PROGRAMME_PERIOD_TITLE = "Results August 2021 - December 2023"

PILLARS = {
    1: "Offering perspective to recovery, access to aftercare",
    2: "Justice System Transformation",
    3: "Addressing root causes via prevention and reducing vulnerability",
}
SUB_PROJECTS = [("main", "Main project"), ("refugee", "Refugee project")]
LOCATIONS = [
    ("oradea", "Oradea", "RO"),
    ("bucharest", "Bucharest", "RO"),
    ("suceava", "Suceava", "RO"),
    ("timisoara", "Timisoara", "RO"),
    ("amsterdam", "Amsterdam", "NL"),
    ("netherlands-other", "Other Dutch region", "NL"),
]

ROMANIAN_PARTNERS = ["betania", "salvation-army", "ijm-romania"]
AWARENESS_KINDS = [
    ActivityKind.AWARENESS_WORKSHOP,
    ActivityKind.THEATRE_SKETCH,
    ActivityKind.MOVIE_SCREENING,
    ActivityKind.CONFERENCE,
]


@dataclass(frozen=True)
class IndicatorPlan:
    code: str
    pillar: int
    label: str
    unit: Unit
    computation: ComputationKind
    parameters: dict = field(default_factory=dict)


INDICATORS = [
    # Pillar 1: recovery and aftercare
    IndicatorPlan(
        "p1-step-out",
        1,
        "People who have access to a Step Out program (access to needed services)",
        Unit.PEOPLE,
        ComputationKind.ASSISTED_PEOPLE,
        {
            "categories": [
                Category.VICTIM_OF_TRAFFICKING,
                Category.EXITING_PROSTITUTION,
                Category.VULNERABLE_BACKGROUND,
            ],
            "organisations": ROMANIAN_PARTNERS,
            "sub_project": "main",
        },
    ),
    IndicatorPlan(
        "p1-volunteers",
        1,
        "Volunteers motivated and involved in activities (Oradea & Bucharest)",
        Unit.VOLUNTEERS,
        ComputationKind.ACTIVE_VOLUNTEERS,
        {"organisations": ["betania", "salvation-army"]},
    ),
    IndicatorPlan(
        "p1-outreach-oradea",
        1,
        "Outreach in Oradea",
        Unit.PEOPLE,
        ComputationKind.ACTIVITY_PARTICIPANTS,
        {"activity_kinds": [ActivityKind.OUTREACH_SESSION], "locations": ["oradea"]},
    ),
    IndicatorPlan(
        "p1-outreach-bucharest",
        1,
        "Outreach in Bucharest",
        Unit.PEOPLE,
        ComputationKind.ACTIVITY_PARTICIPANTS,
        {"activity_kinds": [ActivityKind.OUTREACH_SESSION], "locations": ["bucharest"]},
    ),
    IndicatorPlan(
        "p1-capacity-conferences",
        1,
        "Conferences for capacity building for local staff and others",
        Unit.ACTIVITIES,
        ComputationKind.ACTIVITIES,
        {
            "activity_kinds": [ActivityKind.CONFERENCE, ActivityKind.MOVIE_SCREENING],
            "sub_project": "main",
        },
    ),
    IndicatorPlan(
        "p1-vocational-training",
        1,
        "People involved in Vocational Training Course",
        Unit.PEOPLE,
        ComputationKind.ACTIVITY_PEOPLE,
        {"activity_kinds": [ActivityKind.VOCATIONAL_TRAINING_COURSE]},
    ),
    # Pillar 2: justice system transformation
    IndicatorPlan(
        "p2-legal-conferences",
        2,
        "Conferences conducted on legal support for local authorities",
        Unit.ACTIVITIES,
        ComputationKind.ACTIVITIES,
        {
            "activity_kinds": [ActivityKind.CONFERENCE, ActivityKind.MULTIDISCIPLINARY_TRAINING],
            "sub_project": "main",
        },
    ),
    IndicatorPlan(
        "p2-legal-conference-participants",
        2,
        "Participants at conferences on legal support for local authorities",
        Unit.PARTICIPANTS,
        ComputationKind.ACTIVITY_PARTICIPANTS,
        {
            "activity_kinds": [ActivityKind.CONFERENCE, ActivityKind.MULTIDISCIPLINARY_TRAINING],
            "sub_project": "main",
        },
    ),
    IndicatorPlan(
        "p2-refugee-conferences",
        2,
        "Conferences conducted on legal support for local authorities (refugee project)",
        Unit.ACTIVITIES,
        ComputationKind.ACTIVITIES,
        {"activity_kinds": [ActivityKind.CONFERENCE], "sub_project": "refugee"},
    ),
    IndicatorPlan(
        "p2-refugee-conference-participants",
        2,
        "Participants at conferences (refugee project)",
        Unit.PARTICIPANTS,
        ComputationKind.ACTIVITY_PARTICIPANTS,
        {"activity_kinds": [ActivityKind.CONFERENCE], "sub_project": "refugee"},
    ),
    IndicatorPlan(
        "p2-refugees-supported",
        2,
        "Refugees supported (refugee project)",
        Unit.PEOPLE,
        ComputationKind.ASSISTED_PEOPLE,
        {
            "categories": [Category.REFUGEE],
            "organisations": ["ijm-romania"],
            "sub_project": "refugee",
        },
    ),
    IndicatorPlan(
        "p2-strategic-partnerships",
        2,
        "Strategic partnerships established",
        Unit.PARTNERSHIPS,
        ComputationKind.MANUAL,
    ),
    IndicatorPlan(
        "p2-referral-cases",
        2,
        "Referral cases",
        Unit.REFERRALS,
        ComputationKind.REFERRALS,
        {
            "to_organisations": ["ijm-romania"],
            "statuses": list(TAKEN_ON_REFERRAL_STATUSES),
        },
    ),
    # Pillar 3: prevention
    IndicatorPlan(
        "p3-awareness-bucharest",
        3,
        "People targeted for awareness raising and prevention activities (Bucharest)",
        Unit.PEOPLE,
        ComputationKind.ACTIVITY_PARTICIPANTS,
        {"activity_kinds": AWARENESS_KINDS, "locations": ["bucharest"], "sub_project": "main"},
    ),
    IndicatorPlan(
        "p3-awareness-oradea",
        3,
        "People targeted for awareness raising and prevention activities (Oradea)",
        Unit.PEOPLE,
        ComputationKind.ACTIVITY_PARTICIPANTS,
        {"activity_kinds": AWARENESS_KINDS, "locations": ["oradea"], "sub_project": "main"},
    ),
    IndicatorPlan(
        "p3-awareness-oradea-refugees",
        3,
        "People targeted for awareness raising and prevention activities (Oradea, refugee project)",
        Unit.PEOPLE,
        ComputationKind.ACTIVITY_PARTICIPANTS,
        {"activity_kinds": AWARENESS_KINDS, "locations": ["oradea"], "sub_project": "refugee"},
    ),
    IndicatorPlan(
        "p3-awareness-ijm-refugees",
        3,
        "People targeted for awareness raising and prevention activities by IJM (refugee project)",
        Unit.PEOPLE,
        ComputationKind.ACTIVITY_PARTICIPANTS,
        {
            "activity_kinds": AWARENESS_KINDS,
            "organisations": ["ijm-romania"],
            "sub_project": "refugee",
        },
    ),
    IndicatorPlan(
        "p3-awareness-online-refugees",
        3,
        "People targeted for awareness raising and prevention activities online (refugee project)",
        Unit.REACH,
        ComputationKind.ACTIVITY_REACH,
        {"activity_kinds": [ActivityKind.ONLINE_CAMPAIGN], "sub_project": "refugee"},
    ),
    IndicatorPlan(
        "p3-life-skills-oradea",
        3,
        "Teenagers involved in Life Skills development (Oradea)",
        Unit.PEOPLE,
        ComputationKind.ACTIVITY_PEOPLE,
        {"activity_kinds": [ActivityKind.LIFE_SKILLS_TRAINING], "locations": ["oradea"]},
    ),
    IndicatorPlan(
        "p3-life-skills-bucharest",
        3,
        "Teenagers involved in Life Skills development (Bucharest)",
        Unit.PARTICIPANTS,
        ComputationKind.ACTIVITY_PARTICIPANTS,
        {"activity_kinds": [ActivityKind.LIFE_SKILLS_TRAINING], "locations": ["bucharest"]},
    ),
    IndicatorPlan(
        "p3-parenting-classes",
        3,
        "Caretakers involved in parenting classes (Oradea)",
        Unit.PEOPLE,
        ComputationKind.ACTIVITY_PEOPLE,
        {"activity_kinds": [ActivityKind.PARENTING_CLASS], "locations": ["oradea"]},
    ),
    IndicatorPlan(
        "p3-safety-nets",
        3,
        "Active safety nets",
        Unit.SAFETY_NETS,
        ComputationKind.ACTIVE_SAFETY_NETS,
        {"sub_project": "main"},
    ),
    IndicatorPlan(
        "p3-safety-nets-refugees",
        3,
        "Active safety nets (refugee project)",
        Unit.SAFETY_NETS,
        ComputationKind.ACTIVE_SAFETY_NETS,
        {"sub_project": "refugee"},
    ),
    IndicatorPlan(
        "p3-vocational-training",
        3,
        "People involved in Vocational Training Course",
        Unit.PEOPLE,
        ComputationKind.ACTIVITY_PEOPLE,
        {"activity_kinds": [ActivityKind.VOCATIONAL_TRAINING_COURSE], "sub_project": "main"},
    ),
    IndicatorPlan(
        "p3-vocational-training-refugees",
        3,
        "People involved in Vocational Training Course (refugee project)",
        Unit.PEOPLE,
        ComputationKind.ACTIVITY_PEOPLE,
        {"activity_kinds": [ActivityKind.VOCATIONAL_TRAINING_COURSE], "sub_project": "refugee"},
    ),
]

# Figures that no record can yield, entered by hand: (period, indicator) -> (value, source).
MANUAL_RESULTS = {
    ("2021-2023", "p2-strategic-partnerships"): (
        4,
        "Protocol agreements with police, prosecution, ANITP and social services",
    ),
}


@dataclass(frozen=True)
class Row:
    pillar: int
    label: str
    subrow: str = ""
    indicator: str | None = None
    target: int | None = None
    remark: str = ""
    note: str = ""


@dataclass(frozen=True)
class PrintedReport:
    """A table as one report prints it; it defines the layout its period uses."""

    period: str
    title: str
    headings: dict
    rows: list


ANNUAL_LAYOUT = "Annual report"
FINAL_LAYOUT = "Final report"

PRINTED_REPORTS = [
    PrintedReport(
        period="2022",
        title="Results 2022",
        headings={
            1: "Offering perspective to recovery & access to aftercare",
            2: "Justice System Transformation",
            3: "Addressing root causes via prevention and reducing vulnerability",
        },
        rows=[
            Row(
                1,
                "People who have access to a Step Out program",
                indicator="p1-step-out",
                target=15,
                remark="New beneficiaries joined through outreach in Bucharest and referrals. Since April, the shelter in Oradea offers housing for both victims of human trafficking and refugees",
            ),
            Row(
                1,
                "Volunteers motivated and involved in activities (Oradea & Bucharest)",
                indicator="p1-volunteers",
                target=20,
                remark="Volunteers are involved in safety net building through spending time together with beneficiaries for study, free time and parenting activities.",
            ),
            Row(
                1,
                "Outreach in Oradea",
                indicator="p1-outreach-oradea",
                target=25,
                remark="Because of safety questions for staff and beneficiaries the outreach is delayed. A security officer and measures are in place.",
            ),
            Row(
                1,
                "Outreach in Bucharest",
                indicator="p1-outreach-bucharest",
                target=150,
                remark="A total of 62 people was reached through our organised activities. At Christmas, 156 gifts were distributed to women exploited through prostitution",
            ),
            Row(
                1,
                "Conferences for capacity building for local staff and others",
                indicator="p1-capacity-conferences",
                target=2,
                remark="Two conferences were organized (May and November). Reaching a total of 250 students and professionals. Topics covered were: 'trauma informed care', 'early identification of human trafficking' and 'prevention of human trafficking among refugees'.",
            ),
            Row(
                1,
                "People involved in Vocational Training Course",
                indicator="p1-vocational-training",
                target=12,
                remark="An opportunity for vocational training was offered to all the beneficiaries. Not all were ready to start a vocational training course.",
            ),
            Row(
                2,
                "Conference conducted on Legal support for local authorities",
                indicator="p2-legal-conferences",
                target=2,
                remark="New beneficiaries joined through outreach in Bucharest and referrals. Since April, the shelter in Oradea offers housing for both victims of human trafficking and refugees.",
                note="remark appears copied from pillar 1 in the printed report",
            ),
            Row(
                2,
                "Participants at conference",
                indicator="p2-legal-conference-participants",
                target=80,
                remark="There were 80 participants at the conference “Building a Collaborative Criminal Justice Response to Trafficking Persons in Romania” and 33 at the Multidisciplinary training organized for the Bucharest region.",
            ),
            Row(
                2,
                "Conferences conducted on local authorities (refugee project)",
                indicator="p2-refugee-conferences",
                target=1,
                remark="The aim of the conference was to facilitate communication between state institutions and non-governmental organizations, as well as spreading information related to the prevention of human trafficking among Ukrainian citizens.",
            ),
            Row(
                2,
                "Participants Refugee project",
                indicator="p2-refugee-conference-participants",
                target=10,
                remark="24 participants at the conference.",
            ),
            Row(
                2,
                "Refugees supported",
                indicator="p2-refugees-supported",
                target=250,
                remark="The project offered humanitarian aid with food, transport, bedding, sim cards, etc. Protection officers referred to social/medical services. We offered transport and safety measures for refugees to Western Europe.",
            ),
            Row(
                2,
                "Referral cases",
                indicator="p2-referral-cases",
                target=12,
                remark="Victims that were supported are young women residing in the north and east side of Romania, who were recruited in Romania and trafficked both internally and to other countries of destination.",
            ),
            Row(3, "People targeted for awareness raising and prevention activities"),
            Row(
                3,
                "People targeted for awareness raising and prevention activities",
                subrow="Bucharest",
                indicator="p3-awareness-bucharest",
                target=250,
                remark="We organized 25 workshops on awareness and prevention.",
            ),
            Row(
                3,
                "People targeted for awareness raising and prevention activities",
                subrow="Oradea",
                indicator="p3-awareness-oradea",
                target=250,
                remark="Sketches developed and presented at highschoools and at the local conference.",
            ),
            Row(
                3,
                "People targeted for awareness raising and prevention activities",
                subrow="Oradea Refugee Project",
                indicator="p3-awareness-oradea-refugees",
                target=100,
                remark="Prevention activities were launched and continue in 2023.",
            ),
            Row(
                3,
                "Teenagers involved in Life Skills development",
                remark="Teenagers from vulnurable communities participate in sewing courses and develop additional lifeskills.",
            ),
            Row(
                3,
                "Teenagers involved in Life Skills development",
                subrow="Oradea",
                indicator="p3-life-skills-oradea",
                target=15,
            ),
            Row(
                3,
                "Teenagers involved in Life Skills development",
                subrow="Bucharest",
                indicator="p3-life-skills-bucharest",
                target=0,
                remark="We Life Skills trainings at Youth Camps and during visits at Youth Programs.",
            ),
            Row(
                3,
                "Caretakers involved in parenting classes",
                indicator="p3-parenting-classes",
                target=15,
                remark="Volunteers were involved in holding parenting classes for the mothers that are beneficiaries in the project.",
            ),
            Row(
                3,
                "Active safety nets",
                indicator="p3-safety-nets",
                target=1,
                remark="A safety net is developed by organising activities for women and teenagers.",
            ),
            Row(
                3,
                "Active safety nets",
                subrow="refugee project",
                indicator="p3-safety-nets-refugees",
                target=1,
                remark="In this the refugees also discuss safety related issues and integration in Romania.",
            ),
            Row(
                3,
                "People involved in Vocational Training Course",
                indicator="p3-vocational-training",
                target=25,
                remark="Beneficiaries participated at vocational training courses as a prevention activity.",
            ),
            Row(
                3,
                "People involved in Vocational Training Course",
                subrow="refugee project",
                indicator="p3-vocational-training-refugees",
                target=5,
                remark="Refugees participated at sewing courses to develop new skills towards social reintegration.",
            ),
        ],
    ),
    PrintedReport(
        period="2021-2023",
        title="Results August 2021 - December 2023",
        headings={
            1: "Assistance towards socio-economical reintegration for victims of human trafficking and women who want to exit prostitution",
            2: "Justice System Transformation",
            3: "Prevention of human trafficking though Raising Awareness Campaigns and Social Assistance for women from vulnerable background.",
        },
        rows=[
            Row(
                1,
                "Nr. people have access to a Step Out program (i.e. access to needed services).",
                indicator="p1-step-out",
                target=50,
                remark="46 women from prostitution were assisted in Oradea, 33 victims of human trafficking received support through IJM, 13 women received support towards exiting prostitution through Salvation Army. 15 women from vulnerable background received support towards reintegration. New beneficiaries joined through outreach in Bucharest and referrals. During this project, the shelter in Oradea offers housing for both victims of human trafficking and refugees.",
                note="the remark's breakdown 46 + 33 + 13 + 15 = 107 is a per-organisation disaggregation of the result",
            ),
            Row(
                1,
                "Nr. of volunteers are motivated and involved in activities (Bucharest + Oradea).",
                indicator="p1-volunteers",
                target=60,
                remark="Volunteers are involved in safety net building through spending time together with beneficiaries from both pillar 1 and pillar 3 for study, free time activities, parenting activities.",
            ),
            Row(
                1,
                "Outreach in Oradea",
                indicator="p1-outreach-oradea",
                target=70,
                remark="Because of safety questions for staff and beneficiaries the outreach is delayed until the security officer and measures are in place.",
            ),
            Row(
                1,
                "Outreach in Bucharest",
                indicator="p1-outreach-bucharest",
                target=335,
                remark="Salvation Army offered support to over 161 woman and 46 children through the Woman-to-Woman Christmas Campaign in 2023.",
            ),
            Row(
                1,
                "Nr. of conferences for capacity building for local staff and others",
                indicator="p1-capacity-conferences",
                target=2,
                remark="On 18 and 23 October 2023 four screenings were organized in rented cinema halls, catering to various audiences including teaching staff, educators from two universities and three high schools, school psychologists, personnel from the National Anti-Drug Agency (DGASPC), actors, involved staff, directors, prospective project partners, volunteers, beneficiaries, foster carers, friends, and refugees. We reached over 200 people for capacity building and raising awareness.",
            ),
            Row(
                1,
                "Nr. of conferences for capacity building",
                indicator="p1-vocational-training",
                target=42,
                remark="There were 11 victims and women from prostitution that participated at vocational trainings through Next Steps in Romania (Oradea and Bucharest) in 2023.",
                note="label looks misprinted: the remark and the 2022 table suggest 'People involved in Vocational Training Course' (pillar 1)",
            ),
            Row(
                2,
                "Nr. of conferences conducted on Legal support for local authorities.",
                indicator="p2-legal-conferences",
                target=3,
                remark="IJM organized three conferences aimed at increasing law enforcement capacity in responding to human trafficking: 1) Building a Collaborative Criminal Justice Response to Trafficking in Persons in Romania Conference; 2) Multidisciplinary training aimed at police officers and prosecutors, social workers and ANITP staff from Bucharest region; 3) The European Cross-Border Conference “Enhancing Cross-Border Collaboration to Combat Trafficking in Human Beings”. The conference brought together police officers, prosecutors, national referral coordinators, embassy representatives and international experts from primary source and destination countries in Europe - specifically Romania, Bulgaria, Hungary, Poland, UK, Germany, the Netherlands, and the US. Additionally, IJM was invited to deliver training to law enforcement official during a TIP Hackathon organized by EMPACT.",
            ),
            Row(
                2,
                "Nr. of conferences conducted on Legal support for local authorities.",
                subrow="Nr. of participants",
                indicator="p2-legal-conference-participants",
                target=80,
            ),
            Row(
                2,
                "Nr. of conferences conducted on Legal support for local authorities. (Refugee project)",
                indicator="p2-refugee-conferences",
                target=2,
                remark="IJM organized several regional conferences entitled “Responding to The Ukrainian Refugee Crisis with A Safe and Educated Approach That Helps Prevent Human Trafficking” that aimed to facilitate communication between state institutions and NGOs, as well as spreading information related to the prevention of human trafficking among Ukrainian citizens. The conferences took place in November 2022 in Bucharest, September 2023 in Suceava and in November 2023 in Timisoara.",
            ),
            Row(
                2,
                "Nr. of conferences conducted on Legal support for local authorities. (Refugee project)",
                subrow="Nr. of participants",
                indicator="p2-refugee-conference-participants",
                target=30,
            ),
            Row(
                2,
                "Nr of refugees supported (Refugee project)",
                indicator="p2-refugees-supported",
                target=550,
                remark="IJM’s offered direct support or referred to services to ensure safety, legal protection, mental wellbeing, social support, economic empowerment or legal support. These direct interactions with Ukrainian groups or communities have allowed IJM to identify risk factors, emerging trends and to develop strategies related to prevention, protection and intervention in potential cases of trafficking.",
            ),
            Row(
                2,
                "Nr. strategic partnerships established",
                indicator="p2-strategic-partnerships",
                target=0,
                remark="IJM has protocol agreements in place with police, prosecution, national agency against trafficking and social services. Moreover, IJM engaged other actors such as the Netherlands Embassy in Romania, International Organization for Migration and other NGOs in anti-trafficking space (People to People).",
            ),
            Row(
                2,
                "Nr. of referral cases",
                indicator="p2-referral-cases",
                target=12,
                remark="IJM, alongside partners, has offered support to nine victims of trafficking during 2023. Victims that were supported are young women residing in the north and east side of Romania, who were recruited in Romania and trafficked both internally and to other countries of destination.",
            ),
            Row(
                3,
                "Nr. of people targeted for awareness raising and prevention activities (Oradea)",
                indicator="p3-awareness-oradea",
                target=800,
                remark="Prevention activities continued reaching 1280 people in Oradea during the three-year project period.",
            ),
            Row(
                3,
                "Nr. of people targeted for awareness raising and prevention activities. (Bucharest)",
                indicator="p3-awareness-bucharest",
                target=800,
                remark="Prevention activities continued reaching 1266 people through Salvation Army in Bucharest in 2023.",
            ),
            Row(
                3,
                "Nr. of people targeted for awareness raising and prevention activities. (Oradea, refugee project)",
                indicator="p3-awareness-oradea-refugees",
                target=380,
                remark="These are the refugees that participated in the screening of the movie 18th October 2023 in Oradea. The movie was finished later, we continue with sharing the movie offline and online in 2024.",
            ),
            Row(
                3,
                "Nr. of people targeted for awareness raising and prevention activities by IJM (Refugee project)",
                indicator="p3-awareness-ijm-refugees",
                target=100,
                remark="Awareness raising happened during the support of the 1500 refugees (by IJM under pillar 2). Many of the refugees supported did receive information about protection against human trafficking risks.",
            ),
            Row(
                3,
                "Nr of people targeted for awareness raising and prevention activities online (Refugee project)",
                indicator="p3-awareness-online-refugees",
                target=5000,
                remark="Salvation Army Romania had several Prevention and Raising Awareness Campaigns ”Pericole online”, ”Noi nu suntem de vanzare”, “Jobs to good to be true” presented both online and offline. The online Raising Awareness Campaigns reached 490.000 people in 2 weeks, which demonstrate how anxious are people to find a job in Europe. The campaign was in the online environment (FB, Instagram.) This was the reach of the 3 adds that SA uploaded (agriculture, dishwasher, factory).",
                note="490.000 is printed with a European thousands separator: four hundred ninety thousand",
            ),
            Row(
                3,
                "Nr. of Teenagers involved in Life Skills development (Oradea)",
                indicator="p3-life-skills-oradea",
                target=55,
                remark="Volunteers were involved in holding parenting classes for the mothers that are beneficiaries in the project.  18 parents attended during 2023",
                note="remark appears copied from the parenting-classes row in the printed report",
            ),
            Row(
                3,
                "Nr. of Teenagers involved in Life Skills development (Bucharest)",
                indicator="p3-life-skills-bucharest",
                target=0,
                remark="Salvation Army organized Life Skills trainings at Youth Camps and during visits at Youth Programs.",
            ),
            Row(
                3,
                "Nr. of caretakers involved in Parenting classes (Oradea)",
                indicator="p3-parenting-classes",
                target=45,
                remark="Volunteers were involved in holding parenting classes for the mothers that are beneficiaries in the project. 18 parents attended during 2023",
            ),
            Row(
                3,
                "Nr. of active safety nets",
                indicator="p3-safety-nets",
                target=3,
                remark="Betania developed a safety net for beneficiaries from both Pillar 1 and Pillar 3 with meetings on different topics.",
            ),
            Row(
                3,
                "Nr. of active safety nets (Refugees project)",
                indicator="p3-safety-nets-refugees",
                target=2,
                remark="A safety net is developed by organising activities for women and teenagers. In this the refugees also discuss safety related issues and integration in Romania.",
            ),
            Row(
                3,
                "Nr of people involved in VTC",
                indicator="p3-vocational-training",
                target=80,
                remark="Beneficiaries both from Salvation Army and Betania participated at vocational training courses as a prevention activity.",
            ),
            Row(
                3,
                "Nr of people involved in VTC (refugee project)",
                indicator="p3-vocational-training-refugees",
                target=15,
                remark="Refugees participated at sewing courses at Betania to develop new skills towards social reintegration.",
            ),
        ],
    ),
]
# Each printed report defines a layout. Every year prints like the 2022 annual report, the whole
# programme like the final report.
LAYOUT_OF_REPORT = {"2022": ANNUAL_LAYOUT, "2021-2023": FINAL_LAYOUT}


@dataclass(frozen=True)
class BudgetLinePlan:
    label: str
    budget: int
    # Actuals per year, in whole euros, as the financial report prints them.
    actuals: dict
    pillar: int | None = None
    is_exchange_difference: bool = False


# Groups of lines; a group with a label gets a subtotal row under its lines.
BUDGET = [
    (
        "Subtotal",
        [
            BudgetLinePlan("Staff costs", 128961, {2021: 20628, 2022: 46973, 2023: 51267}),
            BudgetLinePlan("General cost/ activities", 7979, {2021: 248, 2022: 2731, 2023: 3520}),
            BudgetLinePlan(
                "Pillar 1. Offering perspective to recovery, access to aftercare",
                43371,
                {2021: 5267, 2022: 25619, 2023: 19853},
                pillar=1,
            ),
            BudgetLinePlan(
                "Pillar 2. Justice System Transformation",
                54577,
                {2021: 3405, 2022: 35666, 2023: 14739},
                pillar=2,
            ),
            BudgetLinePlan(
                "Pillar 3. Addressing root causes via prevention and reducing vulnerability",
                6010,
                {2021: 1239, 2022: 2571, 2023: 2880},
                pillar=3,
            ),
            BudgetLinePlan(
                "Prevention among Ukranian refugees", 29001, {2021: 0, 2022: 5437, 2023: 23752}
            ),
        ],
    ),
    (
        "",
        [
            BudgetLinePlan("Other cost + Admin", 47018, {2021: 14625, 2022: 11031, 2023: 15371}),
            BudgetLinePlan(
                "Exchange rate differences",
                0,
                {2021: 0, 2022: -207, 2023: -347},
                is_exchange_difference=True,
            ),
        ],
    ),
]
