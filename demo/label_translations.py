"""Romanian and Dutch for the Next Steps reference data: the plan's pillars, indicators, printed
layouts, budget lines, sub-projects and locations, the service types and Betania's safety nets.

Keyed by the English text as the demo and the plan enter it; `translate_labels` fills the
`<field>_ro` and `<field>_nl` columns that are still blank, so a translation the programme
coordinator changed in the browser is kept. Not yet reviewed by native speakers at the partners.
"""

from cases.models import ServiceType
from nextsteps.labels import TRANSLATED_LANGUAGES
from pillars.models import (
    BudgetGroup,
    BudgetLine,
    Indicator,
    Location,
    Pillar,
    ReportRow,
    ReportSection,
    SafetyNet,
    SubProject,
)

# English: (Romanian, Dutch)
LABELS = {
    # Service types
    "Shelter": ("Adăpost", "Opvang"),
    "Food": ("Hrană", "Voedsel"),
    "Clothes": ("Îmbrăcăminte", "Kleding"),
    "Emotional support": ("Sprijin emoțional", "Emotionele steun"),
    "Social assistance": ("Asistență socială", "Maatschappelijke hulp"),
    "Psychological counselling": ("Consiliere psihologică", "Psychologische begeleiding"),
    "Legal assistance": ("Asistență juridică", "Juridische bijstand"),
    "Medical referral": ("Trimitere medicală", "Medische doorverwijzing"),
    "Vocational training": ("Formare profesională", "Beroepsopleiding"),
    "Employment support": ("Sprijin pentru angajare", "Hulp bij werk"),
    "Financial support": ("Sprijin financiar", "Financiële steun"),
    "Emergency aid": ("Ajutor de urgență", "Noodhulp"),
    "Transport": ("Transport", "Vervoer"),
    "Accompaniment to police or court": (
        "Însoțire la poliție sau instanță",
        "Begeleiding naar politie of rechtbank",
    ),
    "Counselling by phone": ("Consiliere telefonică", "Telefonische begeleiding"),
    # Sub-projects and locations
    "Main project": ("Proiectul principal", "Hoofdproject"),
    "Refugee project": ("Proiectul pentru refugiați", "Vluchtelingenproject"),
    "Oradea": ("Oradea", "Oradea"),
    "Bucharest": ("București", "Boekarest"),
    "Suceava": ("Suceava", "Suceava"),
    "Amsterdam": ("Amsterdam", "Amsterdam"),
    "Timisoara": ("Timișoara", "Timișoara"),
    "Other Dutch region": ("Altă regiune din Țările de Jos", "Andere regio in Nederland"),
    # Pillars and budget lines named after them
    "Offering perspective to recovery, access to aftercare": (
        "Perspectivă de recuperare, acces la îngrijire ulterioară",
        "Perspectief op herstel, toegang tot nazorg",
    ),
    "Offering perspective to recovery & access to aftercare": (
        "Perspectivă de recuperare și acces la îngrijire ulterioară",
        "Perspectief op herstel en toegang tot nazorg",
    ),
    "Justice System Transformation": (
        "Transformarea sistemului de justiție",
        "Verandering van het rechtssysteem",
    ),
    "Addressing root causes via prevention and reducing vulnerability": (
        "Abordarea cauzelor profunde prin prevenție și reducerea vulnerabilității",
        "Aanpak van de grondoorzaken door preventie en minder kwetsbaarheid",
    ),
    "Pillar 1. Offering perspective to recovery, access to aftercare": (
        "Pilonul 1. Perspectivă de recuperare, acces la îngrijire ulterioară",
        "Pijler 1. Perspectief op herstel, toegang tot nazorg",
    ),
    "Pillar 2. Justice System Transformation": (
        "Pilonul 2. Transformarea sistemului de justiție",
        "Pijler 2. Verandering van het rechtssysteem",
    ),
    "Pillar 3. Addressing root causes via prevention and reducing vulnerability": (
        "Pilonul 3. Abordarea cauzelor profunde prin prevenție și reducerea vulnerabilității",
        "Pijler 3. Aanpak van de grondoorzaken door preventie en minder kwetsbaarheid",
    ),
    "Assistance towards socio-economical reintegration for victims of human trafficking and "
    "women who want to exit prostitution": (
        "Asistență pentru reintegrarea socio-economică a victimelor traficului de persoane și a "
        "femeilor care vor să iasă din prostituție",
        "Hulp bij sociaal-economische re-integratie van slachtoffers van mensenhandel en vrouwen "
        "die uit de prostitutie willen stappen",
    ),
    "Prevention of human trafficking though Raising Awareness Campaigns and Social Assistance "
    "for women from vulnerable background.": (
        "Prevenirea traficului de persoane prin campanii de conștientizare și asistență socială "
        "pentru femei din medii vulnerabile.",
        "Preventie van mensenhandel door bewustwordingscampagnes en maatschappelijke hulp voor "
        "vrouwen met een kwetsbare achtergrond.",
    ),
    # Indicators and the rows that print them
    "People who have access to a Step Out program (access to needed services)": (
        "Persoane cu acces la un program Step Out (acces la serviciile necesare)",
        "Mensen met toegang tot een Step Out-programma (toegang tot de nodige diensten)",
    ),
    "People who have access to a Step Out program": (
        "Persoane cu acces la un program Step Out",
        "Mensen met toegang tot een Step Out-programma",
    ),
    "Nr. people have access to a Step Out program (i.e. access to needed services).": (
        "Nr. de persoane cu acces la un program Step Out (adică acces la serviciile necesare).",
        "Aantal mensen met toegang tot een Step Out-programma (d.w.z. toegang tot de nodige "
        "diensten).",
    ),
    "Volunteers motivated and involved in activities (Oradea & Bucharest)": (
        "Voluntari motivați și implicați în activități (Oradea și București)",
        "Vrijwilligers die gemotiveerd en betrokken zijn bij activiteiten (Oradea en Boekarest)",
    ),
    "Nr. of volunteers are motivated and involved in activities (Bucharest + Oradea).": (
        "Nr. de voluntari motivați și implicați în activități (București + Oradea).",
        "Aantal vrijwilligers dat gemotiveerd en betrokken is bij activiteiten (Boekarest + "
        "Oradea).",
    ),
    "Outreach in Oradea": ("Activități de teren în Oradea", "Veldwerk in Oradea"),
    "Outreach in Bucharest": ("Activități de teren în București", "Veldwerk in Boekarest"),
    "Conferences for capacity building for local staff and others": (
        "Conferințe de dezvoltare a capacității pentru personalul local și alții",
        "Conferenties voor capaciteitsopbouw voor lokale medewerkers en anderen",
    ),
    "Nr. of conferences for capacity building for local staff and others": (
        "Nr. de conferințe de dezvoltare a capacității pentru personalul local și alții",
        "Aantal conferenties voor capaciteitsopbouw voor lokale medewerkers en anderen",
    ),
    "Nr. of conferences for capacity building": (
        "Nr. de conferințe de dezvoltare a capacității",
        "Aantal conferenties voor capaciteitsopbouw",
    ),
    "People involved in Vocational Training Course": (
        "Persoane implicate în cursul de formare profesională",
        "Mensen die deelnemen aan de beroepsopleiding",
    ),
    "People involved in Vocational Training Course (refugee project)": (
        "Persoane implicate în cursul de formare profesională (proiectul pentru refugiați)",
        "Mensen die deelnemen aan de beroepsopleiding (vluchtelingenproject)",
    ),
    "Nr of people involved in VTC": (
        "Nr. de persoane implicate în cursul de formare profesională",
        "Aantal mensen in de beroepsopleiding",
    ),
    "Nr of people involved in VTC (refugee project)": (
        "Nr. de persoane implicate în cursul de formare profesională (proiectul pentru refugiați)",
        "Aantal mensen in de beroepsopleiding (vluchtelingenproject)",
    ),
    "Conferences conducted on legal support for local authorities": (
        "Conferințe despre sprijinul juridic pentru autoritățile locale",
        "Conferenties over juridische ondersteuning voor lokale overheden",
    ),
    "Conference conducted on Legal support for local authorities": (
        "Conferință despre sprijinul juridic pentru autoritățile locale",
        "Conferentie over juridische ondersteuning voor lokale overheden",
    ),
    "Nr. of conferences conducted on Legal support for local authorities.": (
        "Nr. de conferințe despre sprijinul juridic pentru autoritățile locale.",
        "Aantal conferenties over juridische ondersteuning voor lokale overheden.",
    ),
    "Participants at conferences on legal support for local authorities": (
        "Participanți la conferințele despre sprijinul juridic pentru autoritățile locale",
        "Deelnemers aan conferenties over juridische ondersteuning voor lokale overheden",
    ),
    "Participants at conference": ("Participanți la conferință", "Deelnemers aan de conferentie"),
    "Nr. of participants": ("Nr. de participanți", "Aantal deelnemers"),
    "Conferences conducted on legal support for local authorities (refugee project)": (
        "Conferințe despre sprijinul juridic pentru autoritățile locale (proiectul pentru "
        "refugiați)",
        "Conferenties over juridische ondersteuning voor lokale overheden (vluchtelingenproject)",
    ),
    "Conferences conducted on local authorities (refugee project)": (
        "Conferințe pentru autoritățile locale (proiectul pentru refugiați)",
        "Conferenties voor lokale overheden (vluchtelingenproject)",
    ),
    "Nr. of conferences conducted on Legal support for local authorities. (Refugee project)": (
        "Nr. de conferințe despre sprijinul juridic pentru autoritățile locale. (Proiectul "
        "pentru refugiați)",
        "Aantal conferenties over juridische ondersteuning voor lokale overheden. "
        "(Vluchtelingenproject)",
    ),
    "Participants at conferences (refugee project)": (
        "Participanți la conferințe (proiectul pentru refugiați)",
        "Deelnemers aan conferenties (vluchtelingenproject)",
    ),
    "Participants Refugee project": (
        "Participanți, proiectul pentru refugiați",
        "Deelnemers vluchtelingenproject",
    ),
    "Refugees supported (refugee project)": (
        "Refugiați sprijiniți (proiectul pentru refugiați)",
        "Ondersteunde vluchtelingen (vluchtelingenproject)",
    ),
    "Refugees supported": ("Refugiați sprijiniți", "Ondersteunde vluchtelingen"),
    "Nr of refugees supported (Refugee project)": (
        "Nr. de refugiați sprijiniți (proiectul pentru refugiați)",
        "Aantal ondersteunde vluchtelingen (vluchtelingenproject)",
    ),
    "Strategic partnerships established": (
        "Parteneriate strategice încheiate",
        "Aangegane strategische partnerschappen",
    ),
    "Nr. strategic partnerships established": (
        "Nr. de parteneriate strategice încheiate",
        "Aantal aangegane strategische partnerschappen",
    ),
    "Referral cases": ("Cazuri de referire", "Doorverwijzingen"),
    "Nr. of referral cases": ("Nr. de cazuri de referire", "Aantal doorverwijzingen"),
    "People targeted for awareness raising and prevention activities": (
        "Persoane vizate de activități de conștientizare și prevenție",
        "Mensen bereikt met bewustwordings- en preventieactiviteiten",
    ),
    "People targeted for awareness raising and prevention activities (Bucharest)": (
        "Persoane vizate de activități de conștientizare și prevenție (București)",
        "Mensen bereikt met bewustwordings- en preventieactiviteiten (Boekarest)",
    ),
    "People targeted for awareness raising and prevention activities (Oradea)": (
        "Persoane vizate de activități de conștientizare și prevenție (Oradea)",
        "Mensen bereikt met bewustwordings- en preventieactiviteiten (Oradea)",
    ),
    "People targeted for awareness raising and prevention activities (Oradea, refugee project)": (
        "Persoane vizate de activități de conștientizare și prevenție (Oradea, proiectul pentru "
        "refugiați)",
        "Mensen bereikt met bewustwordings- en preventieactiviteiten (Oradea, "
        "vluchtelingenproject)",
    ),
    "People targeted for awareness raising and prevention activities by IJM (refugee project)": (
        "Persoane vizate de activități de conștientizare și prevenție ale IJM (proiectul pentru "
        "refugiați)",
        "Mensen bereikt met bewustwordings- en preventieactiviteiten van IJM "
        "(vluchtelingenproject)",
    ),
    "People targeted for awareness raising and prevention activities online (refugee project)": (
        "Persoane vizate online de activități de conștientizare și prevenție (proiectul pentru "
        "refugiați)",
        "Mensen online bereikt met bewustwordings- en preventieactiviteiten (vluchtelingenproject)",
    ),
    "Nr. of people targeted for awareness raising and prevention activities (Oradea)": (
        "Nr. de persoane vizate de activități de conștientizare și prevenție (Oradea)",
        "Aantal mensen bereikt met bewustwordings- en preventieactiviteiten (Oradea)",
    ),
    "Nr. of people targeted for awareness raising and prevention activities. (Bucharest)": (
        "Nr. de persoane vizate de activități de conștientizare și prevenție. (București)",
        "Aantal mensen bereikt met bewustwordings- en preventieactiviteiten. (Boekarest)",
    ),
    "Nr. of people targeted for awareness raising and prevention activities. (Oradea, refugee "
    "project)": (
        "Nr. de persoane vizate de activități de conștientizare și prevenție. (Oradea, proiectul "
        "pentru refugiați)",
        "Aantal mensen bereikt met bewustwordings- en preventieactiviteiten. (Oradea, "
        "vluchtelingenproject)",
    ),
    "Nr. of people targeted for awareness raising and prevention activities by IJM (Refugee "
    "project)": (
        "Nr. de persoane vizate de activități de conștientizare și prevenție ale IJM (Proiectul "
        "pentru refugiați)",
        "Aantal mensen bereikt met bewustwordings- en preventieactiviteiten van IJM "
        "(Vluchtelingenproject)",
    ),
    "Nr of people targeted for awareness raising and prevention activities online (Refugee "
    "project)": (
        "Nr. de persoane vizate online de activități de conștientizare și prevenție (Proiectul "
        "pentru refugiați)",
        "Aantal mensen online bereikt met bewustwordings- en preventieactiviteiten "
        "(Vluchtelingenproject)",
    ),
    "Oradea Refugee Project": (
        "Oradea, proiectul pentru refugiați",
        "Oradea, vluchtelingenproject",
    ),
    "refugee project": ("proiectul pentru refugiați", "vluchtelingenproject"),
    "Teenagers involved in Life Skills development": (
        "Adolescenți implicați în dezvoltarea abilităților de viață",
        "Tieners die levensvaardigheden ontwikkelen",
    ),
    "Teenagers involved in Life Skills development (Oradea)": (
        "Adolescenți implicați în dezvoltarea abilităților de viață (Oradea)",
        "Tieners die levensvaardigheden ontwikkelen (Oradea)",
    ),
    "Teenagers involved in Life Skills development (Bucharest)": (
        "Adolescenți implicați în dezvoltarea abilităților de viață (București)",
        "Tieners die levensvaardigheden ontwikkelen (Boekarest)",
    ),
    "Nr. of Teenagers involved in Life Skills development (Oradea)": (
        "Nr. de adolescenți implicați în dezvoltarea abilităților de viață (Oradea)",
        "Aantal tieners dat levensvaardigheden ontwikkelt (Oradea)",
    ),
    "Nr. of Teenagers involved in Life Skills development (Bucharest)": (
        "Nr. de adolescenți implicați în dezvoltarea abilităților de viață (București)",
        "Aantal tieners dat levensvaardigheden ontwikkelt (Boekarest)",
    ),
    "Caretakers involved in parenting classes": (
        "Îngrijitori implicați în cursuri de parenting",
        "Verzorgers die opvoedingslessen volgen",
    ),
    "Caretakers involved in parenting classes (Oradea)": (
        "Îngrijitori implicați în cursuri de parenting (Oradea)",
        "Verzorgers die opvoedingslessen volgen (Oradea)",
    ),
    "Nr. of caretakers involved in Parenting classes (Oradea)": (
        "Nr. de îngrijitori implicați în cursuri de parenting (Oradea)",
        "Aantal verzorgers dat opvoedingslessen volgt (Oradea)",
    ),
    "Active safety nets": ("Rețele de siguranță active", "Actieve vangnetten"),
    "Active safety nets (refugee project)": (
        "Rețele de siguranță active (proiectul pentru refugiați)",
        "Actieve vangnetten (vluchtelingenproject)",
    ),
    "Nr. of active safety nets": ("Nr. de rețele de siguranță active", "Aantal actieve vangnetten"),
    "Nr. of active safety nets (Refugees project)": (
        "Nr. de rețele de siguranță active (Proiectul pentru refugiați)",
        "Aantal actieve vangnetten (Vluchtelingenproject)",
    ),
    "Protocol agreements with police, prosecution, ANITP and social services": (
        "Protocoale de colaborare cu poliția, parchetul, ANITP și serviciile sociale",
        "Samenwerkingsprotocollen met politie, openbaar ministerie, ANITP en sociale diensten",
    ),
    # Budget
    "Subtotal": ("Subtotal", "Subtotaal"),
    "Staff costs": ("Cheltuieli de personal", "Personeelskosten"),
    "General cost/ activities": ("Costuri generale/ activități", "Algemene kosten/ activiteiten"),
    "Prevention among Ukranian refugees": (
        "Prevenție în rândul refugiaților ucraineni",
        "Preventie onder Oekraïense vluchtelingen",
    ),
    "Other cost + Admin": ("Alte costuri + administrație", "Overige kosten + administratie"),
    "Exchange rate differences": ("Diferențe de curs valutar", "Koersverschillen"),
    # Betania's safety nets
    "Women's safety net": ("Rețeaua de siguranță a femeilor", "Vangnet voor vrouwen"),
    "Teenagers' safety net": ("Rețeaua de siguranță a adolescenților", "Vangnet voor tieners"),
    "Mothers' safety net": ("Rețeaua de siguranță a mamelor", "Vangnet voor moeders"),
    "Refugee women's safety net": (
        "Rețeaua de siguranță a femeilor refugiate",
        "Vangnet voor vluchtelingenvrouwen",
    ),
    "Refugee teenagers' safety net": (
        "Rețeaua de siguranță a adolescenților refugiați",
        "Vangnet voor tieners op de vlucht",
    ),
}

# Each managed label: the model and the English field whose translations are filled.
MANAGED_LABELS = [
    (ServiceType, "name"),
    (SubProject, "name"),
    (Location, "name"),
    (Pillar, "name"),
    (Indicator, "label"),
    (ReportSection, "heading"),
    (ReportRow, "label"),
    (ReportRow, "subrow_label"),
    (BudgetGroup, "subtotal_label"),
    (BudgetLine, "label"),
    (SafetyNet, "name"),
]


def translate_labels(labels: dict[str, tuple[str, ...]] = LABELS) -> int:
    """Fill the blank Romanian and Dutch labels from ``labels``; how many rows changed."""
    changed = 0
    for model, field in MANAGED_LABELS:
        for record in model.objects.exclude(**{field: ""}):
            translations = labels.get(getattr(record, field))
            if translations is None:
                continue
            updates = {
                f"{field}_{language}": text
                for language, text in zip(TRANSLATED_LANGUAGES, translations, strict=True)
                if not getattr(record, f"{field}_{language}")
            }
            if updates:
                model.objects.filter(pk=record.pk).update(**updates)
                changed += 1
    return changed
