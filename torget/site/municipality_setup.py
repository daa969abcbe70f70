"""Setting up a municipality of one's own (`manage.py setup_municipality`) instead of the demo.

One TOML file describes the municipality, its areas (GeoJSON files beside it), parties,
bodies with their presidia, administrations, first staff users and their roles, and the
retention plan. Everything is written in one transaction: an error anywhere (a bad geometry,
an unknown role) leaves the database as it was. Run again with `update=True`, the same file
changes nothing; a changed file updates what it names and leaves everything else alone.

No password is ever read from the file: a new user gets a one-time link to choose one.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.text import slugify

from torget.accounts import mail
from torget.accounts import services as accounts
from torget.accounts.models import User, normalize_email
from torget.accounts.roles import Role
from torget.audit import services as audit
from torget.geo.models import Area, AreaKind
from torget.geo.services import AreaImportError, areas_import_geojson
from torget.organisation import services as organisation
from torget.organisation.models import (
    Administration,
    Body,
    BodyKind,
    BodyMembership,
    Employment,
    MemberRole,
    Municipality,
    Party,
    Unit,
    UnitKind,
)
from torget.retention import services as retention_services

ACTOR_LABEL = "setup_municipality"

SECTIONS = {
    "municipality",
    "areas",
    "parties",
    "bodies",
    "administrations",
    "users",
    "retention",
}
MUNICIPALITY_KEYS = set(organisation.MUNICIPALITY_SETTINGS) | {"registrar_email"}
AREA_KEYS = {"file", "kind", "name_property", "parent"}
PARTY_KEYS = {"abbreviation", "name"}
BODY_KEYS = {"kind", "name", "abbreviation", "slug", "parent", "area", "description", "members"}
MEMBER_KEYS = {"email", "full_name", "party", "role", "started_on"}
ADMINISTRATION_KEYS = {"name", "abbreviation", "slug", "body", "email", "phone", "units"}
UNIT_KEYS = {"name", "kind", "email", "phone"}
USER_KEYS = {"email", "full_name", "roles", "administration", "unit", "title", "contact_person"}


class SetupError(Exception):
    """What is wrong with the configuration, in words that name the place in the file."""


@dataclass
class NewUser:
    user: User
    link: str  # the one-time set-password link (also e-mailed when asked to)


@dataclass
class SetupReport:
    areas_created: int = 0
    areas_updated: int = 0
    bodies_created: int = 0
    users_created: int = 0
    memberships_created: int = 0
    new_users: list[NewUser] = field(default_factory=list)
    retention: str = "none"  # "none" (no [retention] table) or "set"


def config_read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as file:
            return tomllib.load(file)
    except OSError as error:
        raise SetupError(f"Could not read {path}: {error.strerror or error}") from error
    except tomllib.TOMLDecodeError as error:
        raise SetupError(f"{path} is not valid TOML: {error}") from error


def municipality_exists() -> bool:
    return Municipality.objects.filter(pk=Municipality.SINGLETON_PK).exists()


@transaction.atomic
def municipality_setup(
    *, config: dict[str, Any], base_dir: Path, update: bool = False, send_email: bool = False
) -> SetupReport:
    """Create (or with `update`, bring up to date) the municipality the config describes.

    Raises SetupError and writes nothing when the config is wrong anywhere."""
    if municipality_exists() and not update:
        raise SetupError(
            "This database already has a municipality. Run with --update to change it "
            "from the file."
        )
    _check_keys(config, SECTIONS, "the file")
    if "municipality" not in config:
        raise SetupError("The file has no [municipality] table.")
    report = SetupReport()
    _municipality(_table(config["municipality"], "[municipality]"))
    for index, entry in enumerate(_list(config.get("areas", []), "[[areas]]"), start=1):
        _areas(_table(entry, f"[[areas]] {index}"), index, base_dir, report)
    parties = {
        party.abbreviation: party
        for index, entry in enumerate(_list(config.get("parties", []), "[[parties]]"), start=1)
        if (party := _party(_table(entry, f"[[parties]] {index}"), index))
    }
    bodies: dict[str, Body] = {body.abbreviation: body for body in Body.objects.all()}
    for index, entry in enumerate(_list(config.get("bodies", []), "[[bodies]]"), start=1):
        _body(_table(entry, f"[[bodies]] {index}"), index, bodies, parties, report)
    for index, entry in enumerate(
        _list(config.get("administrations", []), "[[administrations]]"), start=1
    ):
        _administration(_table(entry, f"[[administrations]] {index}"), index, bodies)
    for index, entry in enumerate(_list(config.get("users", []), "[[users]]"), start=1):
        _user(_table(entry, f"[[users]] {index}"), index, report)
    if "retention" in config:
        report.retention = _retention(_table(config["retention"], "[retention]"))
    if send_email:
        for new in report.new_users:
            _send_link(new)
    return report


# --- the parts --------------------------------------------------------------------------


def _municipality(values: dict[str, Any]) -> None:
    _check_keys(values, MUNICIPALITY_KEYS, "[municipality]")
    if not str(values.get("name", "")).strip():
        raise SetupError("[municipality] needs a name.")
    registrar = values.pop("registrar_email", None)
    try:
        municipality = organisation.municipality_update(actor=None, **values)
        if registrar is not None and municipality.registrar_email != registrar:
            municipality.registrar_email = registrar
            municipality.full_clean()
            municipality.save(update_fields=["registrar_email"])
    except ValidationError as error:
        raise SetupError(f"[municipality]: {_messages(error)}") from error


def _areas(entry: dict[str, Any], index: int, base_dir: Path, report: SetupReport) -> None:
    where = f"[[areas]] {index}"
    _check_keys(entry, AREA_KEYS, where)
    if "file" not in entry or "kind" not in entry:
        raise SetupError(f"{where} needs a file and a kind ({', '.join(AreaKind.values)}).")
    path = base_dir / str(entry["file"])
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise SetupError(f"{where}: could not read {path}: {error.strerror or error}") from error
    except ValueError as error:
        raise SetupError(f"{where}: {path.name} is not valid JSON: {error}") from error
    if not isinstance(data, dict):
        raise SetupError(f"{where}: {path.name} must be a GeoJSON FeatureCollection.")
    parent = None
    if entry.get("parent"):
        parent = Area.objects.filter(slug=str(entry["parent"])).first()
        if parent is None:
            raise SetupError(f"{where}: no area with slug {entry['parent']!r} (import it first).")
    try:
        result = areas_import_geojson(
            data=data,
            kind=str(entry["kind"]),
            name_property=str(entry.get("name_property", "name")),
            parent=parent,
            source=path.name,
        )
    except AreaImportError as error:
        raise SetupError(f"{where}, {path.name}: {error}") from error
    except ValidationError as error:
        raise SetupError(f"{where}, {path.name}: {_messages(error)}") from error
    report.areas_created += len(result.created)
    report.areas_updated += len(result.updated)


def _party(entry: dict[str, Any], index: int) -> Party:
    where = f"[[parties]] {index}"
    _check_keys(entry, PARTY_KEYS, where)
    abbreviation, name = _required(entry, where, "abbreviation"), _required(entry, where, "name")
    party = Party.objects.filter(abbreviation=abbreviation).first() or Party(
        abbreviation=abbreviation
    )
    party.name = name
    _save(party, where)
    return party


def _body(
    entry: dict[str, Any],
    index: int,
    bodies: dict[str, Body],
    parties: dict[str, Party],
    report: SetupReport,
) -> None:
    name = str(entry.get("name", "")).strip()
    where = f"[[bodies]] {index} ({name})" if name else f"[[bodies]] {index}"
    _check_keys(entry, BODY_KEYS, where)
    abbreviation = _required(entry, where, "abbreviation")
    kind = _choice(entry, where, "kind", BodyKind.values)
    body = bodies.get(abbreviation) or Body(abbreviation=abbreviation)
    is_new = body.pk is None
    body.kind = kind
    body.name = _required(entry, where, "name")
    body.slug = str(entry.get("slug") or slugify(body.name))
    body.description = str(entry.get("description", body.description))
    body.parent = None
    if entry.get("parent"):
        parent = bodies.get(str(entry["parent"]))
        if parent is None:
            raise SetupError(
                f"{where}: no body {entry['parent']!r} above it (list that body before it)."
            )
        body.parent = parent
    body.area = None
    if entry.get("area"):
        body.area = Area.objects.filter(slug=str(entry["area"])).first()
        if body.area is None:
            raise SetupError(f"{where}: no area with slug {entry['area']!r}.")
    _save(body, where)
    bodies[abbreviation] = body
    if is_new:
        report.bodies_created += 1
        audit.record(actor_label=ACTOR_LABEL, action="body.created", obj=body)
    for number, member in enumerate(_list(entry.get("members", []), f"{where} members"), 1):
        member_where = f"{where}, member {number}"
        _membership(_table(member, member_where), member_where, body, parties, report)


def _membership(
    entry: dict[str, Any],
    where: str,
    body: Body,
    parties: dict[str, Party],
    report: SetupReport,
) -> None:
    _check_keys(entry, MEMBER_KEYS, where)
    _required(entry, where, "email")
    _required(entry, where, "party")
    party = (
        parties.get(str(entry["party"]))
        or Party.objects.filter(abbreviation=str(entry["party"])).first()
    )
    if party is None:
        raise SetupError(f"{where}: no party {entry['party']!r} (add it under [[parties]]).")
    role = _choice(entry, where, "role", MemberRole.values, default=MemberRole.MEMBER.value)
    person, created = _person(
        email=str(entry["email"]),
        full_name=str(entry.get("full_name", "")),
        where=where,
    )
    if created:
        report.users_created += 1
    if not person.groups.filter(name=Role.ELECTED.value).exists():
        accounts.role_assign(user=person, role=Role.ELECTED)
    seat = BodyMembership.objects.current().filter(body=body, person=person).first()
    started_on = entry.get("started_on")
    try:
        if seat is None:
            organisation.membership_add(
                body=body, person=person, party=party, role=role, started_on=started_on
            )
            report.memberships_created += 1
        elif (seat.party_id, seat.role) != (party.pk, role):
            seat.party, seat.role = party, role
            seat.full_clean()
            seat.save(update_fields=["party", "role"])
    except ValidationError as error:
        raise SetupError(f"{where}: {_messages(error)}") from error
    except TypeError as error:  # a started_on that is not a TOML date
        raise SetupError(f"{where}: started_on must be a date such as 2027-01-01.") from error


def _administration(entry: dict[str, Any], index: int, bodies: dict[str, Body]) -> None:
    name = str(entry.get("name", "")).strip()
    where = f"[[administrations]] {index} ({name})" if name else f"[[administrations]] {index}"
    _check_keys(entry, ADMINISTRATION_KEYS, where)
    name = _required(entry, where, "name")
    administration = Administration.objects.filter(name=name).first() or Administration(name=name)
    administration.slug = str(entry.get("slug") or slugify(name))
    administration.abbreviation = str(entry.get("abbreviation", ""))
    administration.email = str(entry.get("email", ""))
    administration.phone = str(entry.get("phone", ""))
    administration.body = None
    if entry.get("body"):
        administration.body = bodies.get(str(entry["body"]))
        if administration.body is None:
            raise SetupError(f"{where}: no body {entry['body']!r}.")
    _save(administration, where)
    for number, unit_entry in enumerate(_list(entry.get("units", []), f"{where} units"), 1):
        unit_where = f"{where}, unit {number}"
        unit_entry = _table(unit_entry, unit_where)
        _check_keys(unit_entry, UNIT_KEYS, unit_where)
        unit_name = _required(unit_entry, unit_where, "name")
        unit = Unit.objects.filter(administration=administration, name=unit_name).first() or Unit(
            administration=administration, name=unit_name
        )
        unit.kind = _choice(unit_entry, unit_where, "kind", UnitKind.values, UnitKind.UNIT.value)
        unit.email = str(unit_entry.get("email", ""))
        unit.phone = str(unit_entry.get("phone", ""))
        _save(unit, unit_where)


def _user(entry: dict[str, Any], index: int, report: SetupReport) -> None:
    where = f"[[users]] {index}"
    _check_keys(entry, USER_KEYS, where)
    roles = entry.get("roles", [])
    if not isinstance(roles, list) or not roles:
        raise SetupError(f'{where}: roles must be a list such as ["administrator"].')
    wanted: list[Role] = []
    for role in roles:
        if role not in Role.values or role == Role.CITIZEN:
            staff = ", ".join(r for r in Role.values if r != Role.CITIZEN)
            raise SetupError(f"{where}: unknown role {role!r}; choose among {staff}.")
        wanted.append(Role(role))
    user, created = _person(
        email=str(entry.get("email", "")),
        full_name=str(entry.get("full_name", "")),
        where=where,
    )
    if created:
        report.users_created += 1
    have = set(user.groups.values_list("name", flat=True))
    for role in wanted:
        if role.value not in have:
            accounts.role_assign(user=user, role=role)
    if entry.get("administration"):
        _employment(entry, where, user)
    if not user.has_usable_password():
        report.new_users.append(NewUser(user=user, link=_set_password_link(user)))


def _employment(entry: dict[str, Any], where: str, user: User) -> None:
    administration = Administration.objects.filter(name=str(entry["administration"])).first()
    if administration is None:
        raise SetupError(
            f"{where}: no administration {entry['administration']!r} "
            "(list it under [[administrations]])."
        )
    unit = None
    if entry.get("unit"):
        unit = Unit.objects.filter(administration=administration, name=str(entry["unit"])).first()
        if unit is None:
            raise SetupError(f"{where}: no unit {entry['unit']!r} in {administration.name}.")
    employment = Employment.objects.filter(
        person=user, administration=administration
    ).first() or Employment(person=user, administration=administration)
    employment.unit = unit
    employment.title = str(entry.get("title", ""))
    employment.is_contact_person = bool(entry.get("contact_person", False))
    _save(employment, where)


def _person(*, email: str, full_name: str, where: str) -> tuple[User, bool]:
    if not email.strip():
        raise SetupError(f"{where} needs an email.")
    email = normalize_email(email)
    user = User.objects.filter(email__iexact=email).first()
    if user is not None:
        if full_name and user.full_name != full_name:
            user.full_name = full_name
            _save(user, where)
        return user, False
    # The municipality vouches for the address; the person proves it by following the
    # set-password link sent there. Politicians listed only as members cannot log in until
    # they are also listed under [[users]] (they then get a link).
    user = User(email=email, full_name=full_name.strip(), email_verified_at=timezone.now())
    if full_name.strip():
        user.display_name = full_name.split()[0]
    user.set_unusable_password()
    _save(user, where)
    audit.record(actor_label=ACTOR_LABEL, action="account.created", obj=user)
    return user, True


def _set_password_link(user: User) -> str:
    path = reverse(
        "accounts:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return f"{settings.SITE_URL}{path}"


def _send_link(new: NewUser) -> None:
    # Through the outbox (the same message as "forgotten password"), so it is sent when the
    # transaction commits and retried if the mail server is down.
    mail.send(
        template="accounts.password_reset",
        context={"url": new.link.removeprefix(settings.SITE_URL)},
        emails=[new.user.email],
        language=new.user.language,
    )


def _retention(table: dict[str, Any]) -> str:
    """The retention plan (gallringsplan): the municipality's decisions, kind by kind."""
    try:
        retention_services.set_plan_from_config(config=table, actor=None)
    except ValidationError as error:
        raise SetupError(f"[retention]: {_messages(error)}") from error
    return "set"


# --- helpers -----------------------------------------------------------------------------


def _check_keys(values: dict[str, Any], allowed: set[str], where: str) -> None:
    unknown = sorted(set(values) - allowed)
    if "password" in unknown:
        raise SetupError(
            f"{where}: never put a password in the file; new users get a link to choose one."
        )
    if unknown:
        raise SetupError(
            f"{where}: unknown key(s) {', '.join(unknown)}; "
            f"expected some of {', '.join(sorted(allowed))}."
        )


def _table(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise SetupError(f"{where} must be a table.")
    return value


def _list(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise SetupError(f"{where} must be an array of tables.")
    return value


def _required(entry: dict[str, Any], where: str, key: str) -> str:
    value = str(entry.get(key, "")).strip()
    if not value:
        raise SetupError(f"{where} needs {key}.")
    return value


def _choice(
    entry: dict[str, Any], where: str, key: str, choices: list[str], default: str | None = None
) -> str:
    value = entry.get(key, default)
    if value not in choices:
        raise SetupError(f"{where}: {key} must be one of {', '.join(choices)}, not {value!r}.")
    return str(value)


def _save(instance: Any, where: str) -> None:
    try:
        instance.full_clean()
    except ValidationError as error:
        raise SetupError(f"{where}: {_messages(error)}") from error
    instance.save()


def _messages(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(
            f"{name}: {' '.join(str(m) for m in messages)}"
            for name, messages in error.message_dict.items()
        )
    return " ".join(str(message) for message in error.messages)
