from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

from torget.accounts import mail
from torget.accounts.models import User, normalize_email
from torget.accounts.roles import STAFF_ROLES, Role
from torget.audit import services as audit
from torget.audit.selectors import entries_by_actor

VERIFY_SALT = "torget.accounts.verify-email"


class VerificationError(Exception):
    """Why a verification link was refused: "invalid", "expired" or "used" (the address is
    already confirmed)."""


def _verification_state(user: User) -> str:
    # Like Django's password-reset tokens: the link is bound to the state it was made for.
    # Confirming the address ends it (single use), and so does a new password, so an old
    # link in a mailbox or a browser history can't log anyone in.
    verified = "" if user.email_verified_at is None else user.email_verified_at.isoformat()
    return salted_hmac(
        VERIFY_SALT,
        f"{user.pk}|{user.email}|{user.password}|{verified}",
        algorithm="sha256",
    ).hexdigest()[::2]


def verification_token_make(user: User) -> str:
    # The address is inside the token, so a link stops working if the address changes.
    return signing.dumps(
        {"u": user.pk, "e": user.email, "h": _verification_state(user)},
        salt=VERIFY_SALT,
        compress=True,
    )


def verification_token_check(token: str) -> User:
    """The user a verification link may confirm and log in, or VerificationError."""
    try:
        data = signing.loads(token, salt=VERIFY_SALT)
    except signing.BadSignature as error:
        raise VerificationError("invalid") from error
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        raise VerificationError("invalid")
    user = User.objects.filter(pk=data["u"], email=data.get("e"), is_active=True).first()
    if user is None:
        raise VerificationError("invalid")
    if user.is_email_verified:
        # Checked before the age, so that an old link still says the plain truth.
        raise VerificationError("used")
    try:
        signing.loads(token, salt=VERIFY_SALT, max_age=settings.ACCOUNT_VERIFICATION_MAX_AGE)
    except signing.SignatureExpired as error:
        raise VerificationError("expired") from error
    if not constant_time_compare(str(data.get("h", "")), _verification_state(user)):
        raise VerificationError("invalid")
    return user


@transaction.atomic
def email_verify(*, token: str) -> User:
    """Confirm the address a verification link was sent to, once: a second use, or two
    uses at the same moment, get VerificationError("used") for all but the first."""
    user = verification_token_check(token)
    # Under the row lock, the state is read again: of two clicks in flight, one wins.
    User.objects.select_for_update().filter(pk=user.pk).first()
    user = verification_token_check(token)
    return user_verify_email(user=user)


def verification_email_send(*, user: User) -> None:
    # Through the outbox: if the mail server is down, the link still arrives when it is back.
    mail.send(
        template="accounts.verify_email",
        context={
            "url": reverse(
                "accounts:verify_email", kwargs={"token": verification_token_make(user)}
            ),
            "days": settings.ACCOUNT_VERIFICATION_MAX_AGE // 86400,
        },
        emails=[user.email],
        language=user.language,
    )


@transaction.atomic
def user_signup(
    *, email: str, password: str, display_name: str = "", language: str = "sv"
) -> User | None:
    """Create a citizen account and send the verification link.

    If the address already has an account, nothing is created and the owner is told by
    e-mail instead, so the sign-up form never reveals which addresses have accounts.
    """
    email = normalize_email(email)
    existing = User.objects.filter(email=email).first()
    if existing is not None:
        if existing.is_active:
            mail.send(
                template="accounts.already_registered",
                context={"reset_url": reverse("accounts:password_reset")},
                emails=[existing.email],
                language=existing.language,
            )
        return None
    user = User(email=email, display_name=display_name.strip(), language=language)
    user.set_password(password)
    user.full_clean()
    user.save()
    user.groups.add(Group.objects.get(name=Role.CITIZEN.value))
    audit.record(actor=user, action="account.signed_up", obj=user)
    verification_email_send(user=user)
    return user


@transaction.atomic
def user_verify_email(*, user: User, actor: User | None = None) -> User:
    """The address counts as confirmed: by its owner's link, or by an administrator (`actor`)
    who created the account or vouches for the address."""
    if user.email_verified_at is None:
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email_verified_at"])
        audit.record(
            actor=actor or user,
            action="account.email_verified"
            if actor in (None, user)
            else "account.email_verified_by_admin",
            obj=user,
        )
    return user


PROFILE_FIELDS = ("full_name", "display_name", "phone", "language")


@transaction.atomic
def user_update_profile(*, user: User, actor: User, **values: Any) -> User:
    unknown = set(values) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"Not profile fields: {sorted(unknown)}")
    before = {field: getattr(user, field) for field in PROFILE_FIELDS}
    for field, value in values.items():
        setattr(user, field, value)
    user.full_clean()
    user.save(update_fields=list(values))
    # Names and numbers are personal data: log which fields changed, not their values.
    changed = [f for f in PROFILE_FIELDS if before[f] != getattr(user, f)]
    audit.record(
        actor=actor, action="account.profile_updated", obj=user, changes={"fields": changed}
    )
    return user


@transaction.atomic
def role_assign(*, user: User, role: Role, actor: User | None = None) -> None:
    user.groups.add(Group.objects.get(name=role.value))
    if role in STAFF_ROLES and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    audit.record(
        actor=actor, action="account.role_assigned", obj=user, changes={"role": role.value}
    )


@transaction.atomic
def role_remove(*, user: User, role: Role, actor: User | None = None) -> None:
    user.groups.remove(Group.objects.get(name=role.value))
    if (
        not user.is_superuser
        and not user.groups.filter(name__in=[r.value for r in STAFF_ROLES]).exists()
    ):
        user.is_staff = False
        user.save(update_fields=["is_staff"])
    audit.record(actor=actor, action="account.role_removed", obj=user, changes={"role": role.value})


def personal_data_export(*, user: User) -> dict[str, Any]:
    """Everything Torget holds about the person, for "Mina sidor" (GDPR art. 15 and 20).

    Each app adds its part by defining `export_personal_data(user)` on its AppConfig.
    """
    data: dict[str, Any] = {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "email": user.email,
            "full_name": user.full_name,
            "display_name": user.display_name,
            "phone": user.phone,
            "language": user.language,
            "date_joined": user.date_joined.isoformat(),
            "email_verified_at": user.email_verified_at.isoformat()
            if user.email_verified_at
            else None,
            "roles": sorted(user.groups.values_list("name", flat=True)),
        },
        "activity": [
            {"at": entry.at.isoformat(), "action": entry.action, "object": entry.object_repr}
            for entry in entries_by_actor(user.pk)
        ],
    }
    for config in apps.get_app_configs():
        exporter = getattr(config, "export_personal_data", None)
        if exporter is not None:
            data[config.label] = exporter(user)
    return data


class AccountCloseError(ValidationError):
    pass


@transaction.atomic
def account_close(*, user: User, actor: User) -> User:
    """Close an account: remove the personal data, keep the row.

    What the person submitted (proposals, opinions, supports) is a public record (allmän
    handling) and stays under the municipality's retention rules; it now shows as "Avslutat
    konto". Each app may clean up its own part in `on_account_closed(user)` on its AppConfig.
    """
    if user.is_superuser:
        raise AccountCloseError("A superuser account cannot be closed from Mina sidor.")
    for config in apps.get_app_configs():
        hook = getattr(config, "on_account_closed", None)
        if hook is not None:
            hook(user)
    user.email = f"avslutat-{user.pk}@konto.invalid"
    user.full_name = ""
    user.display_name = ""
    user.phone = ""
    user.is_active = False
    user.is_staff = False
    user.closed_at = timezone.now()
    user.set_unusable_password()  # also ends every other session (the session hash changes)
    user.save()
    user.groups.clear()
    audit.record(actor=actor, action="account.closed", obj=user)
    return user


# --- Two-factor authentication (tvåstegsverifiering) -------------------------------------------

RECOVERY_CODE_COUNT = 10


class TwoFactorError(ValidationError):
    """A one-time code that did not match (or came too soon after wrong ones)."""


def two_factor_new_device(*, user: User, key: str | None = None) -> TOTPDevice:
    """An authenticator app being set up, not saved: its secret waits in the session until a
    code from the app confirms it, so an abandoned set-up leaves nothing behind."""
    return TOTPDevice(user=user, name="Torget", key=key or default_key(), confirmed=False)


@transaction.atomic
def two_factor_confirm(*, user: User, key: str, token: str) -> tuple[TOTPDevice, list[str]]:
    """Confirms the app with a code from it; returns the saved device and the new recovery
    codes (reservkoder), shown once. Earlier apps and recovery codes of the account stop
    working."""
    device = two_factor_new_device(user=user, key=key)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    code = _normalise_code(token)
    if not (code.isascii() and code.isdigit()) or not totp.verify(
        int(code), tolerance=device.tolerance
    ):
        raise TwoFactorError(
            _("Koden stämmer inte. Skriv den sexsiffriga kod som appen visar just nu."),
            code="invalid",
        )
    TOTPDevice.objects.filter(user=user).delete()
    device.confirmed = True
    device.last_t = totp.t()  # the same code cannot be used again to log in
    device.save()
    codes = _recovery_codes_replace(user=user)
    audit.record(actor=user, action="account.two_factor_enabled", obj=user)
    return device, codes


def _normalise_code(token: str) -> str:
    return "".join(str(token).split()).replace("-", "").lower()


def _recovery_codes_replace(*, user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="Reservkoder", confirmed=True)
    codes = [StaticToken.random_token() for _i in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def two_factor_verify(*, user: User, token: str) -> Device:
    """The device that accepts `token` (the app's code, or an unused recovery code, which is
    then used up), or TwoFactorError. Wrong codes slow further tries (django-otp's throttling)."""
    code = _normalise_code(token)
    for device in [*TOTPDevice.objects.filter(user=user, confirmed=True)] + [
        *StaticDevice.objects.filter(user=user, confirmed=True)
    ]:
        if device.verify_token(code):
            if isinstance(device, StaticDevice):
                audit.record(actor=user, action="account.recovery_code_used", obj=user)
            return device
    raise TwoFactorError(
        _("Koden stämmer inte. Skriv koden som appen visar just nu, eller en oanvänd reservkod."),
        code="invalid",
    )


@transaction.atomic
def two_factor_reset(*, user: User, actor: User) -> None:
    """An administrator removes a staff member's app and recovery codes (a lost phone): at
    the next log-in they set up a new app."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    audit.record(actor=actor, action="account.two_factor_reset", obj=user)
