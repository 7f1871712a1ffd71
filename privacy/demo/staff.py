"""Demo staff: one login per role (privacy/roles.py), so a newcomer can try every screen as the people
who use it. Development only: the command refuses when DEBUG is off."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from privacy import roles

#: (username, role key): two DPO-role people, since erasure needs four eyes (the evaluator cannot approve).
DEMO_STAFF: tuple[tuple[str, str], ...] = (
    ("agent", roles.AGENT.key),
    ("dpo", roles.DPO.key),
    ("deputy-dpo", roles.DPO.key),
    ("retention", roles.RETENTION_OPERATOR.key),
    ("auditor", roles.AUDITOR.key),
)


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    password: str | None  # set only when the login was created now (shown once)


@transaction.atomic
def demo_staff_ensure() -> list[DemoLogin]:
    """Make sure each demo login exists, in its role's group; a second run creates nothing and changes no
    password. Returns every demo login, with the generated password of those created now."""
    User = get_user_model()
    logins = []
    for username, role_key in DEMO_STAFF:
        role = roles.role(role_key)
        user = User.objects.filter(username=username).first()
        password = None
        if user is None:
            password = secrets.token_urlsafe(12)
            user = User.objects.create_user(username=username, password=password, is_staff=True)
        user.groups.add(Group.objects.get(name=role.group))
        logins.append(DemoLogin(username=username, role=role.group, password=password))
    return logins


def demo_users(role_key: str) -> list:
    """The demo logins of a role, sorted by username."""
    names = [username for username, key in DEMO_STAFF if key == role_key]
    return list(get_user_model().objects.filter(username__in=names).order_by("username"))
