from django.db import models
from django.utils.translation import gettext_lazy as _


class PeriodKind(models.TextChoices):
    YEAR = "year", _("Calendar year")
    PROGRAMME = "programme", _("Whole programme")
    CUSTOM = "custom", _("Custom range")


class ActivityKind(models.TextChoices):
    CONFERENCE = "conference", _("Conference")
    MULTIDISCIPLINARY_TRAINING = "multidisciplinary_training", _("Multidisciplinary training")
    AWARENESS_WORKSHOP = "awareness_workshop", _("Awareness or prevention workshop")
    ONLINE_CAMPAIGN = "online_campaign", _("Online campaign")
    MOVIE_SCREENING = "movie_screening", _("Movie screening")
    THEATRE_SKETCH = "theatre_sketch", _("Theatre sketch in a school")
    LIFE_SKILLS_TRAINING = "life_skills_training", _("Life-skills training")
    PARENTING_CLASS = "parenting_class", _("Parenting class")
    SAFETY_NET_MEETING = "safety_net_meeting", _("Safety-net meeting")
    VOCATIONAL_TRAINING_COURSE = "vocational_training_course", _("Vocational training course")
    OUTREACH_SESSION = "outreach_session", _("Outreach session")
    NETWORK_MEETING = "network_meeting", _("Network meeting")
    ADVICE_REQUEST = "advice_request", _("Request for advice")


class Audience(models.TextChoices):
    POLICE = "police", _("Police")
    PROSECUTORS = "prosecutors", _("Prosecutors")
    JUDGES = "judges", _("Judges")
    SOCIAL_WORKERS = "social_workers", _("Social workers")
    EMBASSY_STAFF = "embassy_staff", _("Embassy staff")
    STUDENTS = "students", _("Students")
    TEACHERS = "teachers", _("Teachers")
    PROFESSIONALS = "professionals", _("Other professionals")
    REFUGEES = "refugees", _("Refugees")
    BENEFICIARIES = "beneficiaries", _("Beneficiaries")
    TEENAGERS = "teenagers", _("Teenagers")
    PARENTS = "parents", _("Parents and caretakers")
    WOMEN_IN_PROSTITUTION = "women_in_prostitution", _("Women in prostitution")
    GENERAL_PUBLIC = "general_public", _("General public")


class Direction(models.TextChoices):
    INCREASE = "increase", _("Higher is better")
    DECREASE = "decrease", _("Lower is better")


class Unit(models.TextChoices):
    PEOPLE = "people", _("people")
    ACTIVITIES = "activities", _("activities")
    PARTICIPANTS = "participants", _("participants")
    REFERRALS = "referrals", _("referrals")
    VOLUNTEERS = "volunteers", _("volunteers")
    SAFETY_NETS = "safety_nets", _("safety nets")
    REACH = "reach", _("people reached")
    PARTNERSHIPS = "partnerships", _("partnerships")


class Currency(models.TextChoices):
    EUR = "EUR", "EUR"
    RON = "RON", "RON"


class ComputationKind(models.TextChoices):
    """How an indicator's result is obtained (implemented in pillars.computations)."""

    ASSISTED_PEOPLE = "assisted_people", _("Distinct people assisted in the period")
    NEW_PEOPLE = "new_people", _("Distinct people taken in during the period")
    PEOPLE_WITH_OUTCOME = "people_with_outcome", _("Distinct people with an outcome in the period")
    ACTIVITY_PEOPLE = "activity_people", _("Distinct people who took part in activities")
    REFERRALS = "referrals", _("Number of referrals")
    ACTIVITIES = "activities", _("Number of activities")
    ACTIVITY_PARTICIPANTS = "activity_participants", _("Participants in activities")
    ACTIVITY_REACH = "activity_reach", _("Online reach of activities")
    ACTIVE_VOLUNTEERS = "active_volunteers", _("Distinct volunteers active in the period")
    ACTIVE_SAFETY_NETS = "active_safety_nets", _("Safety nets active at the end of the period")
    MANUAL = "manual", _("Entered by hand")
