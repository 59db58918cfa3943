"""The partnership's printed tables, copied from the Annual Report 2022 and the final report of
August 2021 - December 2023, row for row: what the app must reproduce from recorded data.
(The app never reads these: they are the tests' reference.)"""

from typing import NamedTuple


class PrintedRow(NamedTuple):
    pillar: int
    indicator: str
    subrow: str
    target: int | None
    result: int | None
    remark: str


class FinancialRow(NamedTuple):
    line: str
    budget: int
    actuals: dict
    total: int
    difference: int


TABLE_2022 = [
    PrintedRow(
        1,
        "People who have access to a Step Out program",
        "",
        15,
        36,
        "New beneficiaries joined through outreach in Bucharest and referrals. Since April, the shelter in Oradea offers housing for both victims of human trafficking and refugees",
    ),
    PrintedRow(
        1,
        "Volunteers motivated and involved in activities (Oradea & Bucharest)",
        "",
        20,
        25,
        "Volunteers are involved in safety net building through spending time together with beneficiaries for study, free time and parenting activities.",
    ),
    PrintedRow(
        1,
        "Outreach in Oradea",
        "",
        25,
        0,
        "Because of safety questions for staff and beneficiaries the outreach is delayed. A security officer and measures are in place.",
    ),
    PrintedRow(
        1,
        "Outreach in Bucharest",
        "",
        150,
        62,
        "A total of 62 people was reached through our organised activities. At Christmas, 156 gifts were distributed to women exploited through prostitution",
    ),
    PrintedRow(
        1,
        "Conferences for capacity building for local staff and others",
        "",
        2,
        2,
        "Two conferences were organized (May and November). Reaching a total of 250 students and professionals. Topics covered were: 'trauma informed care', 'early identification of human trafficking' and 'prevention of human trafficking among refugees'.",
    ),
    PrintedRow(
        1,
        "People involved in Vocational Training Course",
        "",
        12,
        7,
        "An opportunity for vocational training was offered to all the beneficiaries. Not all were ready to start a vocational training course.",
    ),
    PrintedRow(
        2,
        "Conference conducted on Legal support for local authorities",
        "",
        2,
        2,
        "New beneficiaries joined through outreach in Bucharest and referrals. Since April, the shelter in Oradea offers housing for both victims of human trafficking and refugees.",
    ),
    PrintedRow(
        2,
        "Participants at conference",
        "",
        80,
        113,
        "There were 80 participants at the conference “Building a Collaborative Criminal Justice Response to Trafficking Persons in Romania” and 33 at the Multidisciplinary training organized for the Bucharest region.",
    ),
    PrintedRow(
        2,
        "Conferences conducted on local authorities (refugee project)",
        "",
        1,
        1,
        "The aim of the conference was to facilitate communication between state institutions and non-governmental organizations, as well as spreading information related to the prevention of human trafficking among Ukrainian citizens.",
    ),
    PrintedRow(2, "Participants Refugee project", "", 10, 24, "24 participants at the conference."),
    PrintedRow(
        2,
        "Refugees supported",
        "",
        250,
        1500,
        "The project offered humanitarian aid with food, transport, bedding, sim cards, etc. Protection officers referred to social/medical services. We offered transport and safety measures for refugees to Western Europe.",
    ),
    PrintedRow(
        2,
        "Referral cases",
        "",
        12,
        17,
        "Victims that were supported are young women residing in the north and east side of Romania, who were recruited in Romania and trafficked both internally and to other countries of destination.",
    ),
    PrintedRow(
        3, "People targeted for awareness raising and prevention activities", "", None, None, ""
    ),
    PrintedRow(
        3,
        "People targeted for awareness raising and prevention activities",
        "Bucharest",
        250,
        1010,
        "We organized 25 workshops on awareness and prevention.",
    ),
    PrintedRow(
        3,
        "People targeted for awareness raising and prevention activities",
        "Oradea",
        250,
        320,
        "Sketches developed and presented at highschoools and at the local conference.",
    ),
    PrintedRow(
        3,
        "People targeted for awareness raising and prevention activities",
        "Oradea Refugee Project",
        100,
        21,
        "Prevention activities were launched and continue in 2023.",
    ),
    PrintedRow(
        3,
        "Teenagers involved in Life Skills development",
        "",
        None,
        None,
        "Teenagers from vulnurable communities participate in sewing courses and develop additional lifeskills.",
    ),
    PrintedRow(3, "Teenagers involved in Life Skills development", "Oradea", 15, 6, ""),
    PrintedRow(
        3,
        "Teenagers involved in Life Skills development",
        "Bucharest",
        0,
        194,
        "We Life Skills trainings at Youth Camps and during visits at Youth Programs.",
    ),
    PrintedRow(
        3,
        "Caretakers involved in parenting classes",
        "",
        15,
        15,
        "Volunteers were involved in holding parenting classes for the mothers that are beneficiaries in the project.",
    ),
    PrintedRow(
        3,
        "Active safety nets",
        "",
        1,
        1,
        "A safety net is developed by organising activities for women and teenagers.",
    ),
    PrintedRow(
        3,
        "Active safety nets",
        "refugee project",
        1,
        1,
        "In this the refugees also discuss safety related issues and integration in Romania.",
    ),
    PrintedRow(
        3,
        "People involved in Vocational Training Course",
        "",
        25,
        22,
        "Beneficiaries participated at vocational training courses as a prevention activity.",
    ),
    PrintedRow(
        3,
        "People involved in Vocational Training Course",
        "refugee project",
        5,
        9,
        "Refugees participated at sewing courses to develop new skills towards social reintegration.",
    ),
]

TABLE_2021_2023 = [
    PrintedRow(
        1,
        "Nr. people have access to a Step Out program (i.e. access to needed services).",
        "",
        50,
        107,
        "46 women from prostitution were assisted in Oradea, 33 victims of human trafficking received support through IJM, 13 women received support towards exiting prostitution through Salvation Army. 15 women from vulnerable background received support towards reintegration. New beneficiaries joined through outreach in Bucharest and referrals. During this project, the shelter in Oradea offers housing for both victims of human trafficking and refugees.",
    ),
    PrintedRow(
        1,
        "Nr. of volunteers are motivated and involved in activities (Bucharest + Oradea).",
        "",
        60,
        58,
        "Volunteers are involved in safety net building through spending time together with beneficiaries from both pillar 1 and pillar 3 for study, free time activities, parenting activities.",
    ),
    PrintedRow(
        1,
        "Outreach in Oradea",
        "",
        70,
        5,
        "Because of safety questions for staff and beneficiaries the outreach is delayed until the security officer and measures are in place.",
    ),
    PrintedRow(
        1,
        "Outreach in Bucharest",
        "",
        335,
        224,
        "Salvation Army offered support to over 161 woman and 46 children through the Woman-to-Woman Christmas Campaign in 2023.",
    ),
    PrintedRow(
        1,
        "Nr. of conferences for capacity building for local staff and others",
        "",
        2,
        4,
        "On 18 and 23 October 2023 four screenings were organized in rented cinema halls, catering to various audiences including teaching staff, educators from two universities and three high schools, school psychologists, personnel from the National Anti-Drug Agency (DGASPC), actors, involved staff, directors, prospective project partners, volunteers, beneficiaries, foster carers, friends, and refugees. We reached over 200 people for capacity building and raising awareness.",
    ),
    PrintedRow(
        1,
        "Nr. of conferences for capacity building",
        "",
        42,
        21,
        "There were 11 victims and women from prostitution that participated at vocational trainings through Next Steps in Romania (Oradea and Bucharest) in 2023.",
    ),
    PrintedRow(
        2,
        "Nr. of conferences conducted on Legal support for local authorities.",
        "",
        3,
        3,
        "IJM organized three conferences aimed at increasing law enforcement capacity in responding to human trafficking: 1) Building a Collaborative Criminal Justice Response to Trafficking in Persons in Romania Conference; 2) Multidisciplinary training aimed at police officers and prosecutors, social workers and ANITP staff from Bucharest region; 3) The European Cross-Border Conference “Enhancing Cross-Border Collaboration to Combat Trafficking in Human Beings”. The conference brought together police officers, prosecutors, national referral coordinators, embassy representatives and international experts from primary source and destination countries in Europe - specifically Romania, Bulgaria, Hungary, Poland, UK, Germany, the Netherlands, and the US. Additionally, IJM was invited to deliver training to law enforcement official during a TIP Hackathon organized by EMPACT.",
    ),
    PrintedRow(
        2,
        "Nr. of conferences conducted on Legal support for local authorities.",
        "Nr. of participants",
        80,
        192,
        "",
    ),
    PrintedRow(
        2,
        "Nr. of conferences conducted on Legal support for local authorities. (Refugee project)",
        "",
        2,
        3,
        "IJM organized several regional conferences entitled “Responding to The Ukrainian Refugee Crisis with A Safe and Educated Approach That Helps Prevent Human Trafficking” that aimed to facilitate communication between state institutions and NGOs, as well as spreading information related to the prevention of human trafficking among Ukrainian citizens. The conferences took place in November 2022 in Bucharest, September 2023 in Suceava and in November 2023 in Timisoara.",
    ),
    PrintedRow(
        2,
        "Nr. of conferences conducted on Legal support for local authorities. (Refugee project)",
        "Nr. of participants",
        30,
        34,
        "",
    ),
    PrintedRow(
        2,
        "Nr of refugees supported (Refugee project)",
        "",
        550,
        1500,
        "IJM’s offered direct support or referred to services to ensure safety, legal protection, mental wellbeing, social support, economic empowerment or legal support. These direct interactions with Ukrainian groups or communities have allowed IJM to identify risk factors, emerging trends and to develop strategies related to prevention, protection and intervention in potential cases of trafficking.",
    ),
    PrintedRow(
        2,
        "Nr. strategic partnerships established",
        "",
        0,
        4,
        "IJM has protocol agreements in place with police, prosecution, national agency against trafficking and social services. Moreover, IJM engaged other actors such as the Netherlands Embassy in Romania, International Organization for Migration and other NGOs in anti-trafficking space (People to People).",
    ),
    PrintedRow(
        2,
        "Nr. of referral cases",
        "",
        12,
        24,
        "IJM, alongside partners, has offered support to nine victims of trafficking during 2023. Victims that were supported are young women residing in the north and east side of Romania, who were recruited in Romania and trafficked both internally and to other countries of destination.",
    ),
    PrintedRow(
        3,
        "Nr. of people targeted for awareness raising and prevention activities (Oradea)",
        "",
        800,
        1280,
        "Prevention activities continued reaching 1280 people in Oradea during the three-year project period.",
    ),
    PrintedRow(
        3,
        "Nr. of people targeted for awareness raising and prevention activities. (Bucharest)",
        "",
        800,
        2644,
        "Prevention activities continued reaching 1266 people through Salvation Army in Bucharest in 2023.",
    ),
    PrintedRow(
        3,
        "Nr. of people targeted for awareness raising and prevention activities. (Oradea, refugee project)",
        "",
        380,
        121,
        "These are the refugees that participated in the screening of the movie 18th October 2023 in Oradea. The movie was finished later, we continue with sharing the movie offline and online in 2024.",
    ),
    PrintedRow(
        3,
        "Nr. of people targeted for awareness raising and prevention activities by IJM (Refugee project)",
        "",
        100,
        0,
        "Awareness raising happened during the support of the 1500 refugees (by IJM under pillar 2). Many of the refugees supported did receive information about protection against human trafficking risks.",
    ),
    PrintedRow(
        3,
        "Nr of people targeted for awareness raising and prevention activities online (Refugee project)",
        "",
        5000,
        490000,
        "Salvation Army Romania had several Prevention and Raising Awareness Campaigns ”Pericole online”, ”Noi nu suntem de vanzare”, “Jobs to good to be true” presented both online and offline. The online Raising Awareness Campaigns reached 490.000 people in 2 weeks, which demonstrate how anxious are people to find a job in Europe. The campaign was in the online environment (FB, Instagram.) This was the reach of the 3 adds that SA uploaded (agriculture, dishwasher, factory).",
    ),
    PrintedRow(
        3,
        "Nr. of Teenagers involved in Life Skills development (Oradea)",
        "",
        55,
        22,
        "Volunteers were involved in holding parenting classes for the mothers that are beneficiaries in the project.  18 parents attended during 2023",
    ),
    PrintedRow(
        3,
        "Nr. of Teenagers involved in Life Skills development (Bucharest)",
        "",
        0,
        194,
        "Salvation Army organized Life Skills trainings at Youth Camps and during visits at Youth Programs.",
    ),
    PrintedRow(
        3,
        "Nr. of caretakers involved in Parenting classes (Oradea)",
        "",
        45,
        33,
        "Volunteers were involved in holding parenting classes for the mothers that are beneficiaries in the project. 18 parents attended during 2023",
    ),
    PrintedRow(
        3,
        "Nr. of active safety nets",
        "",
        3,
        3,
        "Betania developed a safety net for beneficiaries from both Pillar 1 and Pillar 3 with meetings on different topics.",
    ),
    PrintedRow(
        3,
        "Nr. of active safety nets (Refugees project)",
        "",
        2,
        2,
        "A safety net is developed by organising activities for women and teenagers. In this the refugees also discuss safety related issues and integration in Romania.",
    ),
    PrintedRow(
        3,
        "Nr of people involved in VTC",
        "",
        80,
        74,
        "Beneficiaries both from Salvation Army and Betania participated at vocational training courses as a prevention activity.",
    ),
    PrintedRow(
        3,
        "Nr of people involved in VTC (refugee project)",
        "",
        15,
        21,
        "Refugees participated at sewing courses at Betania to develop new skills towards social reintegration.",
    ),
]

PILLAR_HEADINGS = {
    "2022": {
        1: "Offering perspective to recovery & access to aftercare",
        2: "Justice System Transformation",
        3: "Addressing root causes via prevention and reducing vulnerability",
    },
    "2021-2023": {
        1: "Assistance towards socio-economical reintegration for victims of human trafficking and women who want to exit prostitution",
        2: "Justice System Transformation",
        3: "Prevention of human trafficking though Raising Awareness Campaigns and Social Assistance for women from vulnerable background.",
    },
}

FINANCIAL_YEARS = [2021, 2022, 2023]
FINANCIAL_REPORT = [
    FinancialRow("Staff costs", 128961, {2021: 20628, 2022: 46973, 2023: 51267}, 118868, 10093),
    FinancialRow("General cost/ activities", 7979, {2021: 248, 2022: 2731, 2023: 3520}, 6499, 1480),
    FinancialRow(
        "Pillar 1. Offering perspective to recovery, access to aftercare",
        43371,
        {2021: 5267, 2022: 25619, 2023: 19853},
        50739,
        -7368,
    ),
    FinancialRow(
        "Pillar 2. Justice System Transformation",
        54577,
        {2021: 3405, 2022: 35666, 2023: 14739},
        53810,
        767,
    ),
    FinancialRow(
        "Pillar 3. Addressing root causes via prevention and reducing vulnerability",
        6010,
        {2021: 1239, 2022: 2571, 2023: 2880},
        6690,
        -680,
    ),
    FinancialRow(
        "Prevention among Ukranian refugees", 29001, {2021: 0, 2022: 5437, 2023: 23752}, 29189, -188
    ),
    FinancialRow("Subtotal", 269899, {2021: 30787, 2022: 118997, 2023: 116011}, 265795, 4104),
    FinancialRow("Other cost + Admin", 47018, {2021: 14625, 2022: 11031, 2023: 15371}, 41027, 5991),
    FinancialRow("Exchange rate differences", 0, {2021: 0, 2022: -207, 2023: -347}, -554, 554),
    FinancialRow("Total", 316917, {2021: 45412, 2022: 129821, 2023: 131035}, 306268, 10649),
]
