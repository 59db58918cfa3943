"""Domain functions of documents: adding a file about a person, sharing it on a referral,
downloading it (audited), and removing it with the person's erasure. The file is written
encrypted before the row exists; if the transaction fails, the file is removed again."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.enums import AuditAction
from accounts.models import User
from accounts.services import record_audit
from cases.models import Beneficiary, Referral
from documents.encrypted_files import (
    delete_stored,
    read_decrypted,
    reencrypt,
    store_encrypted,
)
from documents.enums import ACCEPTED_TYPES, DocumentKind
from documents.models import Document

# filetype reads the start of a file; what it needs lies in the first 8 KiB.
_SNIFF_BYTES = 8192


def check_upload(upload: UploadedFile) -> str:
    """The content type of an uploaded file, read from its content (not its name or the
    browser's word); refused if it is too big or not a PDF, an image or an Office document."""
    limit = settings.DOCUMENT_MAX_MEGABYTES * 1024 * 1024
    if upload.size > limit:
        raise ValidationError(
            _("The file is larger than %(limit)d MB.") % {"limit": settings.DOCUMENT_MAX_MEGABYTES}
        )
    upload.seek(0)
    head = upload.read(_SNIFF_BYTES)
    upload.seek(0)
    guessed = filetype.guess(head)
    if guessed is None or guessed.mime not in ACCEPTED_TYPES:
        raise ValidationError(
            _(
                "This file is not a PDF, an image or an Office document (what it contains was "
                "checked, not its name)."
            )
        )
    return guessed.mime


def _check_may_add(person: Beneficiary, *, by: User, referral: Referral | None) -> None:
    if person.is_erased:
        raise ValidationError(
            _("This record was erased: it can no longer be changed, referred or exported.")
        )
    organisation_id = by.organisation.pk if by.organisation else None
    if referral is None:
        if person.organisation_id != organisation_id:
            raise ValidationError(_("Only the organisation that owns the record adds to it."))
        return
    # The partner adds against the referral; the sender adds to her record and shares it.
    in_force = Referral.objects.sharing_in_force().filter(pk=referral.pk).exists()
    receiver = referral.to_organisation_id == organisation_id
    if referral.beneficiary_id != person.pk or not receiver or not in_force:
        raise ValidationError(
            _("This referral no longer gives access to the person; nothing was added.")
        )


def add_document(
    person: Beneficiary,
    *,
    upload: UploadedFile,
    kind: DocumentKind,
    by: User,
    referral: Referral | None = None,
) -> Document:
    """Store ``upload`` encrypted and record it as a document about ``person``, added by the
    user's organisation (against ``referral`` when a partner adds it)."""
    _check_may_add(person, by=by, referral=referral)
    content_type = check_upload(upload)
    stored_as = store_encrypted(upload.chunks())
    try:
        with transaction.atomic():
            document = Document.objects.create(
                beneficiary=person,
                organisation=by.organisation,
                referral=referral,
                kind=kind,
                title=upload.name[:200],
                content_type=content_type,
                size=upload.size,
                stored_as=stored_as,
                uploaded_by=by,
            )
            record_audit(
                AuditAction.CREATE,
                document,
                by=by,
                organisation=person.organisation,
                detail=f"document {kind} added" + (" against referral" if referral else ""),
            )
    except Exception:
        delete_stored(stored_as)
        raise
    return document


@transaction.atomic
def share_on_referral(referral: Referral, *, documents: Iterable[Document], by: User) -> Referral:
    """The sender chooses which of the person's documents the partner sees on this referral
    (the choice replaces the previous one)."""
    if by.organisation is None or referral.from_organisation_id != by.organisation.pk:
        raise ValidationError(
            _("Only the organisation that referred the person shares the person's documents.")
        )
    documents = list(documents)
    if any(document.beneficiary_id != referral.beneficiary_id for document in documents):
        raise ValidationError(_("Share only documents about the person referred."))
    referral.shared_documents.set(documents)
    record_audit(
        AuditAction.UPDATE,
        referral,
        by=by,
        detail=f"documents shared with {referral.to_organisation.slug}: {len(documents)}",
    )
    return referral


def download(document: Document, *, by: User) -> Iterator[bytes]:
    """The document's content, a chunk at a time, with its audit row written first (a look at
    a person's document is a look at her record)."""
    record_audit(
        AuditAction.VIEW,
        document,
        by=by,
        organisation=document.beneficiary.organisation,
        detail=f"document {document.kind} downloaded",
    )
    return read_decrypted(document.stored_as)


def remove_documents_of(person: Beneficiary) -> int:
    """Delete the person's documents, files and rows (her erasure). The files go once the
    erasure's transaction commits, so a failed erasure keeps them."""
    documents = list(Document.objects.filter(beneficiary=person))
    names = [document.stored_as for document in documents]
    for document in documents:
        document.shared_on.clear()
    Document.objects.filter(pk__in=[document.pk for document in documents]).delete()
    transaction.on_commit(lambda: [delete_stored(name) for name in names])
    return len(documents)


def reencrypt_documents() -> int:
    """Write every document again with the newest key (``rotate_encryption_keys``)."""
    count = 0
    for document in Document.objects.order_by("pk").iterator():
        old = document.stored_as
        document.stored_as = reencrypt(old)
        Document.objects.filter(pk=document.pk).update(stored_as=document.stored_as)
        delete_stored(old)
        count += 1
    return count
