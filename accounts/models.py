import time
import uuid
from base64 import b32encode
from binascii import unhexlify
from urllib.parse import quote, urlencode

from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin, TimestampMixin
from django_otp.oath import TOTP
from django_otp.util import random_hex

from accounts.enums import ORGANISATION_ROLES, PARTNERSHIP_ROLES, AuditAction, Country, Role
from accounts.rules import Permission, is_partnership_role, role_has_permission
from nextsteps.fields import EncryptedTextField, UnreadableValue


class Organisation(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(_("name"), max_length=200)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    city = models.CharField(_("city"), max_length=100)
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        choices=[(zone, zone) for zone in settings.ORGANISATION_TIME_ZONES],
        default="Europe/Bucharest",
    )
    # Prefix of the pseudonymous codes of this organisation's records, e.g. BET-2023-0042.
    code_prefix = models.CharField(_("code prefix"), max_length=5, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, email):
        return self.get(email__iexact=email)

    def create_user(self, email, password=None, **extra_fields):
        if not email:
            raise ValueError("A user needs an e-mail address.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who works with the app. Logs in with an e-mail address."""

    # The user's id in URLs and the audit log: not a sequential number.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("e-mail address"), unique=True)
    display_name = models.CharField(_("name"), max_length=150, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("may use the Django admin"), default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    # A password set by someone else (an admin) is changed at the next login, before anything
    # else (accounts.middleware.PasswordChangeRequiredMiddleware).
    must_change_password = models.BooleanField(_("must change password"), default=False)
    # Part of the session hash: raising it ends every live session of this user.
    session_generation = models.PositiveIntegerField(default=0, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"

    class Meta:
        ordering = ["email"]

    def __str__(self):
        return self.display_name or self.email

    @property
    def audit_reference(self):
        return str(self.public_id)

    def save(self, *args, **kwargs):
        if self._is_being_disabled():
            # Django already refuses the sessions of an inactive user; raising the generation
            # keeps them dead if the account is enabled again.
            self.session_generation += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "session_generation"}
        super().save(*args, **kwargs)

    def _is_being_disabled(self):
        if self._state.adding or self.is_active:
            return False
        return type(self).objects.filter(pk=self.pk, is_active=True).exists()

    def _get_session_auth_hash(self, secret=None):
        # Django compares this hash on every request: a password change or a raised
        # generation makes every existing session of this user invalid on its next request.
        return salted_hmac(
            "accounts.User.session",
            f"{self.password}:{self.session_generation}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    @property
    def membership_or_none(self):
        try:
            return self.membership
        except Membership.DoesNotExist:
            return None

    @property
    def role(self):
        membership = self.membership_or_none
        return membership.role if membership else None

    @property
    def organisation(self):
        membership = self.membership_or_none
        return membership.organisation if membership else None

    def has_role_permission(self, permission: Permission) -> bool:
        return self.is_active and role_has_permission(self.role, permission)


class Membership(models.Model):
    """A user's place in the partnership: one role, in one organisation or partnership-wide.

    One membership per user keeps "whose data am I looking at" unambiguous; a person who works
    for two organisations gets two logins.
    """

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="membership")
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="memberships",
        null=True,
        blank=True,
        help_text=_("Empty for partnership-wide roles."),
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="membership_organisation_matches_role",
                condition=(
                    Q(role__in=sorted(ORGANISATION_ROLES), organisation__isnull=False)
                    | Q(role__in=sorted(PARTNERSHIP_ROLES), organisation__isnull=True)
                ),
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.organisation or _('partnership')}"

    @property
    def is_partnership_wide(self):
        return is_partnership_role(self.role)


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("The audit log is append-only.")

    def delete(self):
        raise PermissionError("The audit log is append-only.")


class AuditEvent(models.Model):
    """Who did what to which record, when and from where. Append-only: the app never updates or
    deletes a row, and on PostgreSQL a trigger refuses it (migration 0002)."""

    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="audit_events"
    )
    # The organisation whose data was touched (the actor's own when no record is involved).
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=16, choices=AuditAction.choices, db_index=True)
    object_type = models.CharField(max_length=64, blank=True)
    # Pseudonymous reference (a record's code or public id), never a name.
    object_reference = models.CharField(max_length=64, blank=True, db_index=True)
    detail = models.CharField(max_length=255, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    request_id = models.CharField(max_length=32, blank=True)
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["organisation", "occurred_at"]),
            # Unusual access reads each user's record views in time order (a window function).
            models.Index(
                fields=["actor", "occurred_at"],
                include=["object_reference"],
                condition=Q(action="view"),
                name="audit_record_views_by_actor",
            ),
            # ... and finds the record views of a review period without reading the table.
            models.Index(
                fields=["occurred_at"],
                include=["actor", "object_reference"],
                condition=Q(action="view"),
                name="audit_record_views_by_time",
            ),
        ]

    def __str__(self):
        return (
            f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.object_reference}"
        )

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The audit log is append-only.")


class SubmittedForm(models.Model):
    """A create form that was saved, known by the one-time token it carried: a double click or a
    resubmission of the same form finds its row and is sent to what the first one made, instead
    of making a second record (nextsteps.views.redirect_after_saving)."""

    token = models.UUIDField(unique=True)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    submitted_at = models.DateTimeField(default=timezone.now)
    next_url = models.CharField(max_length=500, blank=True)

    def __str__(self):
        return str(self.token)


# Two-factor devices (issue 13 point 7). django-otp's own TOTPDevice and StaticToken keep the
# authenticator secret and the unused backup codes in clear; these devices are the same
# django-otp devices (its Device, throttling and timestamp mixins, its TOTP arithmetic), with
# the secret on our encrypted field and the backup codes kept only as salted hashes.


def new_authenticator_key() -> str:
    """20 random bytes, hex-encoded (RFC 4226 recommends 160 bits)."""
    return random_hex(20)


class AuthenticatorDevice(TimestampMixin, ThrottlingMixin, Device):
    """An authenticator app (TOTP, RFC 6238). The fields are those of django-otp's TOTPDevice,
    whose rows the migration moved here; ``key`` (hex) is stored encrypted."""

    key = EncryptedTextField(default=new_authenticator_key)
    step = models.PositiveSmallIntegerField(default=30)
    t0 = models.BigIntegerField(default=0)
    digits = models.PositiveSmallIntegerField(default=6)
    tolerance = models.PositiveSmallIntegerField(default=1)
    drift = models.SmallIntegerField(default=0)
    # The time step of the last code accepted: a code is accepted once.
    last_t = models.BigIntegerField(default=-1)

    class Meta(Device.Meta):
        verbose_name = _("Authenticator app")
        verbose_name_plural = _("Authenticator apps")

    @property
    def bin_key(self) -> bytes:
        return unhexlify(self.key.encode())

    @property
    def key_is_readable(self) -> bool:
        # A secret written under a key the app no longer has (see nextsteps.fields).
        return not isinstance(self.key, UnreadableValue)

    def get_throttle_factor(self) -> int:
        return getattr(settings, "OTP_TOTP_THROTTLE_FACTOR", 1)

    def verify_token(self, token: str) -> bool:
        """django-otp's contract: True if ``token`` is the code of now (within ``tolerance``
        steps) and newer than the last one accepted. A wrong code makes the next try wait."""
        allowed, _details = self.verify_is_allowed()
        if not allowed or not self.key_is_readable:
            return False
        totp = TOTP(self.bin_key, self.step, self.t0, self.digits, self.drift)
        totp.time = time.time()
        token = str(token)
        if token.isdigit() and totp.verify(int(token), self.tolerance, self.last_t + 1):
            self.last_t = totp.t()
            self.drift = totp.drift
            self.throttle_reset(commit=False)
            self.set_last_used_timestamp(commit=False)
            self.save()
            return True
        self.throttle_increment(commit=True)
        return False

    @property
    def config_url(self) -> str:
        """The otpauth:// URI authenticator apps read from the QR code (Key Uri Format)."""
        issuer = str(getattr(settings, "OTP_TOTP_ISSUER", "")).replace(":", "")
        label = f"{issuer}:{self.user.get_username()}" if issuer else self.user.get_username()
        params = {
            "secret": b32encode(self.bin_key).decode(),
            "algorithm": "SHA1",
            "digits": self.digits,
            "period": self.step,
        }
        if issuer:
            params["issuer"] = issuer
        return f"otpauth://totp/{quote(label)}?{urlencode(params, quote_via=quote)}"


class BackupCodeHasher(Argon2PasswordHasher):
    """Argon2id at OWASP's minimum (19 MiB, 2 passes): a backup code is checked against each
    unused one of the user (up to 10, about 25 ms each), so the password hasher's cost (100
    MiB) would make one try take seconds. Codes are random, not chosen by people."""

    memory_cost = 19456
    time_cost = 2
    parallelism = 1


BACKUP_CODE_HASHER = BackupCodeHasher()


def hash_backup_code(code: str) -> str:
    return BACKUP_CODE_HASHER.encode(code, BACKUP_CODE_HASHER.salt())


class BackupCodeDevice(TimestampMixin, ThrottlingMixin, Device):
    """The user's single-use backup codes (one device per user), as django-otp's StaticDevice,
    but each code is kept only as a salted hash: it is never shown again, only checked."""

    class Meta(Device.Meta):
        verbose_name = _("Backup codes")
        verbose_name_plural = _("Backup codes")

    def get_throttle_factor(self) -> int:
        return getattr(settings, "OTP_STATIC_THROTTLE_FACTOR", 1)

    def verify_token(self, token: str) -> bool:
        """True if ``token`` is one of the unused codes, which is then deleted. django-otp calls
        this with the device locked (select_for_update), so two tries of one code cannot both
        pass."""
        allowed, _details = self.verify_is_allowed()
        if not allowed:
            return False
        match = next((code for code in self.codes.all() if code.matches(str(token))), None)
        if match is None:
            self.throttle_increment(commit=True)
            return False
        match.delete()
        self.throttle_reset(commit=False)
        self.set_last_used_timestamp(commit=False)
        self.save()
        return True


class BackupCode(models.Model):
    device = models.ForeignKey(BackupCodeDevice, on_delete=models.CASCADE, related_name="codes")
    code_hash = models.CharField(max_length=128)

    def __str__(self):
        return f"backup code {self.pk}"

    def matches(self, code: str) -> bool:
        return BACKUP_CODE_HASHER.verify(code, self.code_hash)
