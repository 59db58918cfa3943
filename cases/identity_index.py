"""The blind index: keyed digests of a person's normalised identity, so that the same woman is
recognised when she is registered again (here or at a partner) and identities can be searched,
while the identity itself stays encrypted and the database can neither read nor compare it.

A digest is HMAC-SHA256 under ``BLIND_INDEX_KEY`` (its own key, apart from the encryption keys:
rotating those leaves the digests as they are). Values are normalised first, so that the ways
people type one identity give one digest: case, accents, spacing and punctuation of names;
any accepted way of writing a date; the digits of a phone number with its country code; each
document number on its own. Without the key a digest cannot be matched against a guess.

``refresh_identity_digests(person)`` keeps a person's digests in step with her record: call it in
the transaction of every change to her identity (registration, edit, merge, erasure).
"""

import hashlib
import hmac
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from django.conf import settings
from django.db import connection
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from accounts.models import Organisation
from cases.enums import DUPLICATE_KINDS, IdentityKind
from cases.models import Beneficiary, IdentityDigest
from nextsteps.dates import normalised_date
from nextsteps.fields import UnreadableValue
from nextsteps.scoping import scopes_disabled

# Country calling codes of the partnership's countries: a number written the national way
# ("0721 000 000" in Romania) is read with the code of the country of the organisation.
CALLING_CODES = {"RO": "40", "NL": "31"}
# Fewer digits than this is no phone number anyone could be found by.
MINIMUM_PHONE_DIGITS = 6
# Fewer characters than this is no document number anyone could be found by.
MINIMUM_DOCUMENT_CHARACTERS = 4
# The letters of a document's series written apart from its number ("AB 123456").
LONGEST_SERIES = 3
DOCUMENT_SEPARATORS = re.compile(r"[,;/|\n]+")
# How alike two normalised aliases must be (difflib's ratio, 0 to 1) to suggest one person, when
# birth year and nationality are the same: "Ioana" and "Ioanna" (0.91) are, "Maria" and "Marta"
# (0.8) are not.
ALIAS_LIKENESS = 0.85
# Enough people of one organisation born in one year with one nationality to compare aliases
# with; more is a data problem, not a likely duplicate.
MOST_ALIASES_COMPARED = 2000


# The fields of a record that matching people reads: a change to one of them is checked again.
MATCHED_FIELDS = (
    "legal_name",
    "date_of_birth",
    "phone",
    "document_numbers",
    "alias",
    "birth_year",
    "nationality",
)


# -- normalisation ---------------------------------------------------------------------------------


def _readable(value: object) -> str:
    # A value no key decrypts reads as "unreadable (wrong key)": it is no identity to index.
    if value is None or isinstance(value, UnreadableValue):
        return ""
    return str(value)


def normalised_text(value: object) -> str:
    """Case folded, accents dropped (NFKD, without combining marks), every run of spacing and
    punctuation one space: "  IOANA  Popéscu-" and "ioana popescu" are one name."""
    text = unicodedata.normalize("NFKD", _readable(value).casefold())
    text = "".join(character for character in text if not unicodedata.combining(character))
    return " ".join(re.sub(r"[\W_]+", " ", text.casefold()).split())


def normalised_phone(value: object, *, country: str = "") -> str:
    """The phone number's digits with its country code and no trunk prefix: "+40 721 000 000",
    "0040 721 000 000", "+40 (0)721 000 000" and, in a Romanian organisation, "0721 000 000" are
    all "40721000000". "" when it holds too few digits to be a number."""
    text = _readable(value).strip()
    digits = re.sub(r"\D", "", text)
    if text.startswith("+"):
        international = digits
    elif digits.startswith("00"):
        international = digits[2:]
    elif digits.startswith("0") and country in CALLING_CODES:
        international = CALLING_CODES[country] + digits[1:]
    else:
        international = digits
    for code in CALLING_CODES.values():
        # "+40 (0)721 ...": the national trunk 0 written after the country code.
        if international.startswith(code + "0"):
            international = code + international[len(code) + 1 :]
    return international if len(international) >= MINIMUM_PHONE_DIGITS else ""


def normalised_document_numbers(value: object) -> list[str]:
    """Each document number of the field (separated by commas, semicolons, slashes or lines),
    letters and digits only, from its first group of digits and the short series letters just
    before it, without labels: "Passport AB 123456; ID card RX-987654" is
    ["ab123456", "rx987654"]."""
    numbers = []
    for entry in DOCUMENT_SEPARATORS.split(_readable(value)):
        words = normalised_text(entry).split()
        first_with_digits = next(
            (index for index, word in enumerate(words) if any(c.isdigit() for c in word)), None
        )
        if first_with_digits is None:
            continue
        start = first_with_digits
        if start > 0 and _is_series(words[start - 1]):
            start -= 1
        number = "".join(words[start:])
        if len(number) >= MINIMUM_DOCUMENT_CHARACTERS and number not in numbers:
            numbers.append(number)
    return numbers


def _is_series(word: str) -> bool:
    # The letters of a series ("XB 123456" on a Romanian identity card), not a label.
    return word.isalpha() and len(word) <= LONGEST_SERIES


# -- digests ---------------------------------------------------------------------------------------


def keyed_digest(kind: str, normalised: str) -> str:
    """HMAC-SHA256 of a normalised value under BLIND_INDEX_KEY; the kind is part of the message,
    so a phone number and a document number with the same digits never share a digest."""
    message = f"{kind}\x1f{normalised}".encode()
    return hmac.new(settings.BLIND_INDEX_KEY.encode(), message, hashlib.sha256).hexdigest()


def identity_digests(
    *,
    legal_name: object = "",
    date_of_birth: object = "",
    phone: object = "",
    document_numbers: object = "",
    country: str = "",
) -> set[tuple[str, str]]:
    """The (kind, digest) pairs of an identity; a part that is empty (or no date) gives none."""
    name = normalised_text(legal_name)
    born = normalised_date(date_of_birth) if date_of_birth else ""
    values = []
    if name:
        values.append((IdentityKind.LEGAL_NAME, name))
        if born:
            values.append((IdentityKind.NAME_AND_BIRTH, f"{name}|{born}"))
    if number := normalised_phone(phone, country=country):
        values.append((IdentityKind.PHONE, number))
    values.extend(
        (IdentityKind.DOCUMENT, number) for number in normalised_document_numbers(document_numbers)
    )
    return {(str(kind), keyed_digest(kind, value)) for kind, value in values}


def digests_of(person: Beneficiary) -> set[tuple[str, str]]:
    """The digests of ``person``'s identity as it is on the instance (saved or not)."""
    if person.is_erased:
        return set()
    return identity_digests(
        legal_name=person.legal_name,
        date_of_birth=person.date_of_birth,
        phone=person.phone,
        document_numbers=person.document_numbers,
        country=person.organisation.country if person.organisation_id else "",
    )


def refresh_identity_digests(person: Beneficiary) -> None:
    """Make the stored digests of ``person`` those of her identity as saved now (none once she is
    erased). Call it inside the transaction that changes her identity, after saving it."""
    wanted = digests_of(person)
    # The caller has the record: its digests are written whatever organisation is in scope.
    stored = IdentityDigest._base_manager.filter(beneficiary_id=person.pk)
    have = set(stored.values_list("kind", "digest"))
    if have == wanted:
        return
    stored.delete()
    IdentityDigest._base_manager.bulk_create(
        IdentityDigest(beneficiary_id=person.pk, kind=kind, digest=digest)
        for kind, digest in sorted(wanted)
    )


def index_new_people(people: Iterable[Beneficiary], *, batch_size: int = 2000) -> None:
    """Store the digests of people just created in bulk (an import), in batches."""
    IdentityDigest._base_manager.bulk_create(
        (
            IdentityDigest(beneficiary_id=person.pk, kind=kind, digest=digest)
            for person in people
            for kind, digest in sorted(digests_of(person))
        ),
        batch_size=batch_size,
    )


def hold_identity(person: Beneficiary) -> None:
    """Make registrations and edits of one identity wait for each other until the end of the
    transaction (PostgreSQL advisory locks on its digests, taken in one order): the second sees
    the first's digests and is warned, instead of both passing the check at the same moment, in
    two organisations. SQLite serialises every write already."""
    if connection.vendor != "postgresql":
        return
    keys = sorted(
        {
            int.from_bytes(bytes.fromhex(digest[:16]), "big", signed=True)
            for kind, digest in digests_of(person)
            if kind in DUPLICATE_KINDS
        }
    )
    with connection.cursor() as cursor:
        for key in keys:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def remove_identity_digests(person: Beneficiary) -> None:
    """Forget every digest of ``person`` (her erasure)."""
    IdentityDigest._base_manager.filter(beneficiary_id=person.pk).delete()


def rebuild_blind_index(
    people: Iterable[Beneficiary] | None = None, *, batch_size: int = 500
) -> int:
    """Compute every person's digests again (after BLIND_INDEX_KEY changed, or to index records
    made before the index). Returns how many people were indexed."""
    with scopes_disabled():
        if people is None:
            people = (
                Beneficiary._base_manager.filter(erased_at__isnull=True)
                .select_related("organisation")
                .order_by("pk")
                .iterator(chunk_size=batch_size)
            )
        count = 0
        for person in people:
            refresh_identity_digests(person)
            count += 1
    return count


# -- likely duplicates -----------------------------------------------------------------------------


@dataclass(frozen=True)
class OwnMatch:
    """A record of the user's own organisation that may be the same person."""

    code: str
    kinds: tuple[str, ...]

    @property
    def reasons(self) -> str:
        return ", ".join(match_label(kind) for kind in self.kinds)


@dataclass(frozen=True)
class LikelyMatches:
    """What registering (or saving) a person found: records of the organisation itself, named,
    and, for records of partners, only that there are some and by what (never which, nor whose)."""

    own: tuple[OwnMatch, ...] = ()
    partner_kinds: tuple[str, ...] = field(default=())

    def __bool__(self) -> bool:
        return bool(self.own or self.partner_kinds)

    def audit_detail(self) -> str:
        """For the audit row: the kinds of match, the own organisation's codes; no identity, no
        partner."""
        parts = [f"{match.code} ({'+'.join(match.kinds)})" for match in self.own]
        if self.partner_kinds:
            parts.append(f"a partner organisation ({'+'.join(self.partner_kinds)})")
        return "; ".join(parts)


ALIAS_MATCH = "alias"


def match_label(kind: str) -> str:
    if kind == ALIAS_MATCH:
        return _("similar alias, birth year and nationality")
    return str(IdentityKind(kind).label)


def likely_matches(person: Beneficiary, *, organisation: Organisation) -> LikelyMatches:
    """Records that may be ``person`` (being registered or edited for ``organisation``): same
    legal name and date of birth, phone or document number, in any organisation; a similar alias
    with the same birth year and nationality, in ``organisation``. Erased records and the person
    herself are never matches."""
    own: dict[str, list[str]] = {}
    partner_kinds: list[str] = []
    for kind, code, organisation_id in _digest_matches(person, organisation):
        if organisation_id == organisation.pk:
            own.setdefault(code, [])
            if kind not in own[code]:
                own[code].append(kind)
        elif kind not in partner_kinds:
            partner_kinds.append(kind)
    for code in _alias_matches(person, organisation):
        own.setdefault(code, []).append(ALIAS_MATCH)
    return LikelyMatches(
        own=tuple(OwnMatch(code, tuple(kinds)) for code, kinds in sorted(own.items())),
        partner_kinds=tuple(sorted(partner_kinds)),
    )


def _digest_matches(person: Beneficiary, organisation) -> list[tuple[str, str, int]]:
    if person.organisation_id is None:
        person.organisation = organisation
    digests = [digest for kind, digest in digests_of(person) if kind in DUPLICATE_KINDS]
    if not digests:
        return []
    # Across every organisation: the partner's side of the answer never leaves this module but
    # as the kinds of match (LikelyMatches.partner_kinds).
    with scopes_disabled():
        rows = (
            IdentityDigest._base_manager.filter(
                kind__in=DUPLICATE_KINDS,
                digest__in=digests,
                beneficiary__erased_at__isnull=True,
            )
            .exclude(beneficiary_id=person.pk)
            .order_by("beneficiary__code", "kind")
            .values_list("kind", "beneficiary__code", "beneficiary__organisation_id")
        )
        return list(rows)


def _alias_matches(person: Beneficiary, organisation) -> list[str]:
    alias = normalised_text(person.alias)
    if not (alias and person.birth_year and person.nationality):
        return []
    others = (
        Beneficiary._base_manager.filter(
            organisation=organisation,
            birth_year=person.birth_year,
            nationality=person.nationality,
            erased_at__isnull=True,
        )
        .exclude(pk=person.pk)
        .order_by("code")
        .values_list("code", "alias")[:MOST_ALIASES_COMPARED]
    )
    return [
        code
        for code, other_alias in others
        if SequenceMatcher(None, alias, normalised_text(other_alias)).ratio() >= ALIAS_LIKENESS
    ]


# -- search ----------------------------------------------------------------------------------------

SEARCHABLE_KINDS = (IdentityKind.LEGAL_NAME, IdentityKind.PHONE)


def search_digest(kind: str, value: str, *, country: str = "") -> str:
    """The digest to look up for a searched legal name or phone; "" when the value normalises to
    nothing."""
    if kind == IdentityKind.PHONE:
        normalised = normalised_phone(value, country=country)
    else:
        normalised = normalised_text(value)
    return keyed_digest(kind, normalised) if normalised else ""


def with_identity(people: QuerySet, kind: str, digest: str) -> QuerySet:
    """``people`` narrowed to those whose identity gives ``digest``."""
    if not digest:
        return people.none()
    return people.filter(identity_digests__kind=kind, identity_digests__digest=digest).distinct()
