"""People operations and the people query API.

Operations are plain functions: no request, no rendering; they take the acting person (`by`),
audit and flush. The queries below are how every other module asks about people (who is in
my scope, which departments a person belongs to, who supervises a department): other modules
call these, never the people tables.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, and_, bindparam, func, or_, select, true
from sqlalchemy.orm import contains_eager, joinedload

from portal import audit, events, sessions
from portal.blueprints.people.models import (
    Department,
    Grade,
    JobTitle,
    Property,
    Role,
    User,
    departments_for,
    supervised_departments,
)
from portal.database import built_once, contains, utcnow
from portal.errors import DomainError
from portal.extensions import db
from portal.i18n import gettext as _
from portal.permissions import has_role, property_clause, sees_every_property

EDITABLE = (
    "name_en",
    "name_zh",
    "staff_no",
    "department_id",
    "role",
    "username",
    "email",
    "phone",
    "hire_date",
    "locale",
)


@dataclass
class PersonData:
    name_en: str
    name_zh: str
    staff_no: str
    property_id: int
    department_id: int
    role: str
    # The grade on the career ladder: the job title's when there is one (then this is ignored);
    # None keeps the person's grade (a new person starts junior).
    grade: str | None = None
    username: str | None = None
    email: str | None = None
    phone: str | None = None
    hire_date: date | None = None
    locale: str | None = None
    supervises: tuple[int, ...] = ()
    job_title_id: int | None = None


def _check_unique(data: PersonData, person_id: int | None) -> None:
    clash = db.session.scalar(
        select(User.id).where(
            User.property_id == data.property_id,
            User.staff_no == data.staff_no,
            User.id != (person_id or 0),
        )
    )
    if clash:
        raise DomainError(
            _("Staff number %(no)s is already used at this property.", no=data.staff_no),
            "staff_no",
        )
    if data.username:
        taken = db.session.scalar(
            select(User.id).where(
                func.lower(User.username) == data.username.lower(), User.id != (person_id or 0)
            )
        )
        if taken:
            raise DomainError(_("This user name is already taken."), "username")


def _check_department(data: PersonData) -> Department:
    department = db.session.get(Department, data.department_id)
    if department is None or department.property_id != data.property_id:
        raise DomainError(_("Choose a department of this property."), "department_id")
    return department


def _check_job_title(
    data: PersonData, department: Department, person: User | None
) -> JobTitle | None:
    """The job title chosen: of the person's department, and current (a person keeps the
    retired title they hold, nobody else gets it)."""
    if not data.job_title_id:
        return None
    title = db.session.get(JobTitle, data.job_title_id)
    if title is None or title.property_id != data.property_id:
        raise DomainError(_("Choose a job title of this property."), "job_title_id")
    if title.department_id != department.id:
        raise DomainError(
            _(
                "%(title)s is a job title of %(other)s: choose one of %(department)s, or "
                "change the department.",
                title=title.title,
                other=title.department.name,
                department=department.name,
            ),
            "job_title_id",
        )
    if title.retired and (person is None or person.job_title_id != title.id):
        raise DomainError(_("This job title is retired: choose a current one."), "job_title_id")
    return title


def _grade(data: PersonData, title: JobTitle | None, person: User | None) -> str:
    if title is not None:
        return title.grade
    if data.grade in set(Grade):
        return data.grade
    return person.grade if person is not None else Grade.JUNIOR


# Roles only a group admin gives: a manager approves SOPs, a group admin acts everywhere. HR
# creates and edits the other accounts of their property.
ADMIN_GIVEN_ROLES = (Role.MANAGER, Role.ADMIN)


def assignable_roles(by: User) -> list[Role]:
    """The roles `by` may give an account (on creation or by an edit)."""
    if has_role(by, Role.ADMIN):
        return list(Role)
    if has_role(by, Role.HR):
        return [role for role in Role if role not in ADMIN_GIVEN_ROLES]
    return []


def _check_role(data: PersonData, by: User) -> None:
    if Role(data.role) not in assignable_roles(by):
        raise DomainError(_("Only a group admin can give the manager or group admin role."), "role")


def _grant_role(person: User, by: User) -> None:
    """Record when and by whom the account got its role (the SOP approval rules ask)."""
    person.role_granted_at = utcnow()
    person.role_granted_by_id = by.id


def _supervised(data: PersonData) -> list[Department]:
    if data.role != Role.SUPERVISOR or not data.supervises:
        return []
    departments = list(
        db.session.scalars(
            select(Department).where(
                Department.id.in_(data.supervises), Department.property_id == data.property_id
            )
        )
    )
    if len(departments) != len(set(data.supervises)):
        raise DomainError(_("Choose departments of this property."), "supervises")
    return departments


def _snapshot(person: User) -> dict:
    """What the trail says about a person's record: codes and ids, never a secret. The audit
    page renders them in the reader's language (department names, titles, roles)."""
    values = {key: getattr(person, key) for key in EDITABLE if key != "department_id"}
    values["department"] = person.department.code if person.department else None
    values["job_title"] = person.job_title_id
    values["grade"] = person.grade
    values["supervises"] = sorted(d.code for d in person.supervises)
    return values


def _set_secret(
    person: User, role: Role, *, pin: str | None, password: str | None, secret_hash: str | None
) -> bool:
    """Give the person the first secret of their role when they have none; True when set."""
    if role.uses_pin:
        if person.pin_hash:
            return False
        if pin:
            person.set_pin(pin)
        elif secret_hash:
            person.pin_hash = secret_hash
        else:
            raise DomainError(_("Set a PIN for this person before giving them this role."), "pin")
        return True
    if person.password_hash:
        return False
    if password:
        person.set_password(password)
    elif secret_hash:
        person.password_hash = secret_hash
    else:
        raise DomainError(
            _("Set a password for this person before giving them this role."), "password"
        )
    return True


def create_person(
    data: PersonData,
    *,
    pin: str | None = None,
    password: str | None = None,
    by: User,
    secret_hash: str | None = None,
    first_secret_later: bool = False,
) -> User:
    """Add a person; their first secret is `pin` (employees) or `password` (everyone else), or
    `secret_hash`, a hash made earlier with hash_secret (the one a refused form kept). An
    imported person has none yet (`first_secret_later`): nobody can sign in as them until HR
    gives them one."""
    _check_role(data, by)
    _check_unique(data, None)
    department = _check_department(data)
    title = _check_job_title(data, department, None)
    person = User(
        property_id=data.property_id,
        **{key: getattr(data, key) for key in EDITABLE},
    )
    person.department = department
    person.username = (data.username or None) if not Role(data.role).uses_pin else None
    person.locale = data.locale or None
    person.job_title = title
    person.grade = _grade(data, title, None)
    person.supervises = _supervised(data)
    _grant_role(person, by)
    if not first_secret_later:
        _set_secret(person, Role(data.role), pin=pin, password=password, secret_hash=secret_hash)
    if title is not None:
        title.assigned = True
    db.session.add(person)
    db.session.flush()
    audit.record(
        "person.created",
        person,
        actor=by,
        summary=(
            f"staff_no={person.staff_no} role={person.role} grade={person.grade} "
            f"department={department.code} job_title={person.job_title_id or '-'}"
        ),
    )
    events.emit(events.PERSON_CREATED, person=person, by=by)
    return person


def update_person(
    person: User,
    data: PersonData,
    *,
    expected_version: int | None,
    by: User,
    pin: str | None = None,
    password: str | None = None,
    secret_hash: str | None = None,
) -> User:
    """Change a person's record. A new role that signs in another way than the person can yet
    needs its first secret (`pin`, `password` or a kept `secret_hash`)."""
    if expected_version is not None and expected_version != person.version:
        raise DomainError(
            _("Someone else changed this record while you were editing. Reload and try again.")
        )
    if data.role != person.role:
        _check_role(data, by)
    _check_unique(data, person.id)
    department = _check_department(data)
    title = _check_job_title(data, department, person)
    before = _snapshot(person)
    role = Role(data.role)
    secret_set = _set_secret(person, role, pin=pin, password=password, secret_hash=secret_hash)
    if data.role != person.role:
        _grant_role(person, by)
    for key in EDITABLE:
        setattr(person, key, getattr(data, key))
    person.department = department  # the relationship too: the snapshot below reads it
    person.username = (data.username or None) if not role.uses_pin else None
    person.locale = data.locale or None
    person.grade = _grade(data, title, person)
    person.job_title = title
    person.supervises = _supervised(data)
    if title is not None:
        title.assigned = True
    db.session.flush()
    after = _snapshot(person)
    if secret_set:
        kind = "pin" if role.uses_pin else "password"
        before[kind], after[kind] = "not set", "set"
    summary = audit.describe_changes(before, after)
    audit.record("person.updated", person, actor=by, summary=summary or "no change")
    return person


def deactivate_person(person: User, *, by: User) -> User:
    if person.id == by.id:
        raise DomainError(_("You cannot deactivate your own account."))
    if not person.active:
        return person
    person.active = False
    ended = sessions.end_all_sessions(person, "deactivated")
    db.session.flush()
    audit.record("person.deactivated", person, actor=by, summary=f"sessions ended={ended}")
    return person


def reactivate_person(person: User, *, by: User) -> User:
    if person.active:
        return person
    person.active = True
    person.failed_logins = 0
    person.locked_until = None
    db.session.flush()
    audit.record("person.reactivated", person, actor=by)
    return person


def reset_secret(person: User, secret: str, *, by: User) -> User:
    """Set a new PIN (employees) or password (others); every open sign-in of theirs ends."""
    kind = "pin" if Role(person.role).uses_pin else "password"
    if kind == "pin":
        person.set_pin(secret)
    else:
        person.set_password(secret)
    person.failed_logins = 0
    person.locked_until = None
    ended = sessions.end_all_sessions(person, "reset")
    db.session.flush()
    audit.record(f"person.{kind}_reset", person, actor=by, summary=f"sessions ended={ended}")
    return person


# --- queries ----------------------------------------------------------------------------------
SORTS = {
    "name": (User.name_en, User.name_zh),
    "staff_no": (User.staff_no,),
    "department": (Department.position, User.staff_no),
}


def people_query(
    viewer: User,
    *,
    q: str = "",
    department_id: int | None = None,
    status: str = "active",
    property_id: int | None = None,
    sort: str = "staff_no",
    job_title_id: int | None = None,
):
    # One query for a page of people: what each row shows is joined, not loaded row by row.
    query = (
        select(User)
        .outerjoin(Department, User.department_id == Department.id)
        .options(
            contains_eager(User.department),
            joinedload(User.property, innerjoin=True),
            joinedload(User.job_title),
        )
    )
    query = query.where(scope_clause(viewer))
    if property_id:
        query = query.where(User.property_id == property_id)
    if department_id:
        query = query.where(User.department_id == department_id)
    if job_title_id:
        query = query.where(User.job_title_id == job_title_id)
    if status == "active":
        query = query.where(User.active.is_(True))
    elif status == "inactive":
        query = query.where(User.active.is_(False))
    if q:
        query = query.where(_matches(q))
    return query.order_by(*SORTS.get(sort, SORTS["staff_no"]), User.id)


def _matches(q: str):
    """SQL: the person's name (either language), staff number or user name contains q."""
    return or_(
        contains(User.name_en, q),
        contains(User.name_zh, q),
        contains(User.staff_no, q),
        contains(User.username, q),
    )


def list_properties() -> list[Property]:
    return list(db.session.scalars(select(Property).order_by(Property.id)))


# --- the people query API (for every module) ------------------------------------------------
def matching_ids(q: str) -> Select:
    """SQL: ids of the people whose name, staff number or user name contains q."""
    return select(User.id).where(_matches(q))


def scope_clause(actor: User):
    """SQL: the people `actor` may act on as a person's superior.

    HR, managers and group admins: everyone at their property (every property for a group
    admin). Supervisors: the people of the departments they supervise. Employees: nobody else.
    """
    if has_role(actor, Role.HR, Role.MANAGER, Role.ADMIN):
        return property_clause(actor, User.property_id)
    if has_role(actor, Role.SUPERVISOR):
        supervised = [d.id for d in actor.supervises]
        return and_(User.property_id == actor.property_id, User.department_id.in_(supervised))
    return User.id == actor.id


def scope_shape(actor: User) -> tuple[str, dict]:
    """scope_clause as a shape and values, for statements built once: (shape, params) where
    scope_clause_of(shape) is the clause and `params` its bound values."""
    if has_role(actor, Role.HR, Role.MANAGER, Role.ADMIN):
        if sees_every_property(actor):
            return "everyone", {}
        return "property", {"scope_property_id": actor.property_id}
    if has_role(actor, Role.SUPERVISOR):
        return "departments", {
            "scope_property_id": actor.property_id,
            "scope_department_ids": [d.id for d in actor.supervises],
        }
    return "self", {"scope_person_id": actor.id if actor is not None else None}


def scope_clause_of(shape: str):
    """SQL of a scope_shape, its values bound parameters (the same rule as scope_clause)."""
    if shape == "everyone":
        return true()
    if shape == "property":
        return User.property_id == bindparam("scope_property_id")
    if shape == "departments":
        return and_(
            User.property_id == bindparam("scope_property_id"),
            User.department_id.in_(bindparam("scope_department_ids", expanding=True)),
        )
    return User.id == bindparam("scope_person_id")


def in_scope(actor: User, person: User) -> bool:
    """Whether `actor` may act on `person` (the same rule as scope_clause, for one person)."""
    if has_role(actor, Role.HR, Role.MANAGER, Role.ADMIN):
        return actor.role == Role.ADMIN or person.property_id == actor.property_id
    if has_role(actor, Role.SUPERVISOR):
        return person.property_id == actor.property_id and any(
            d.id == person.department_id for d in actor.supervises
        )
    return actor is not None and person.id == actor.id


def people_in_scope(
    actor: User,
    *,
    department_ids: Iterable[int] | None = None,
    roles: Iterable[str] | None = None,
    active: bool | None = True,
) -> Select:
    """SQL select of the people `actor` may act on, narrowed by department and role.

    Other modules compose it into their own queries (counts, lists) or run it as it is.
    """
    query = select(User).where(scope_clause(actor))
    if department_ids is not None:
        query = query.where(User.department_id.in_(list(department_ids)))
    if roles is not None:
        query = query.where(User.role.in_(list(roles)))
    if active is not None:
        query = query.where(User.active.is_(active))
    return query.order_by(User.department_id, User.staff_no)


def ids_in_scope_of(shape: str, *, active: bool | None = True) -> Select:
    """SQL: ids of the people in a scope_shape's scope (its values bound parameters), for
    statements built once; `active` as in people_in_scope."""
    query = select(User.id).where(scope_clause_of(shape))
    return query if active is None else query.where(User.active.is_(active))


def people_at(property_id: int, *, active: bool | None = True) -> Select:
    """SQL select of the people of one property (for a module's own lists and counts, e.g. the
    audience of a document); compose further conditions with the User columns it returns."""
    query = select(User).where(User.property_id == property_id)
    if active is not None:
        query = query.where(User.active.is_(active))
    return query


def departments_of(person: User) -> list[Department]:
    """The department a person works in and the ones they supervise, in display order."""
    departments = ([person.department] if person.department else []) + list(person.supervises)
    unique = {d.id: d for d in departments}
    return sorted(unique.values(), key=lambda d: d.position)


def supervisors_of(department_id: int) -> list[User]:
    """The active supervisors of a department."""
    return list(
        db.session.scalars(
            select(User)
            .join(supervised_departments, supervised_departments.c.user_id == User.id)
            .where(
                supervised_departments.c.department_id == department_id,
                User.active.is_(True),
                User.role == Role.SUPERVISOR,
            )
            .order_by(User.staff_no)
        )
    )


def get_department(department_id: int) -> Department | None:
    return db.session.get(Department, department_id)


def property_departments(property_id: int) -> list[Department]:
    return departments_for(property_id)


def team_sizes(user: User) -> list[tuple[Department, int]]:
    """Active people per department: the supervised ones, or every one of a manager's property."""
    if user.role == Role.SUPERVISOR:
        department_ids = [d.id for d in user.supervises]
        if not department_ids:
            return []
        rows = db.session.execute(_team_sizes_statement(True), {"ids": department_ids})
    else:
        rows = db.session.execute(_team_sizes_statement(False), {"id": user.property_id})
    return [(department, count) for department, count in rows.all()]


@built_once
def _team_sizes_statement(supervised: bool):
    where = (
        Department.id.in_(bindparam("ids", expanding=True))
        if supervised
        else Department.property_id == bindparam("id")
    )
    return (
        select(Department, func.count(User.id))
        .outerjoin(User, (User.department_id == Department.id) & User.active.is_(True))
        .where(where)
        .group_by(Department.id)
        .order_by(Department.position)
    )


def get_people(ids: Iterable[int]) -> dict[int, User]:
    """People by id (one query), for lists that name the people they refer to."""
    wanted = set(ids)
    if not wanted:
        return {}
    return {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(wanted)))}
