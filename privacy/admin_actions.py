"""No admin action without its permission (§22), third-party admins included.

Django offers an action to everyone who may see the changelist unless the action declares the
permissions it needs (`@admin.action(permissions=[...])`). Third-party admins (django-celery-beat's
"Enable/Disable/Run selected tasks", django-axes' "Clean up expired attempts") declare none, so a
read-only role could stop or start the nightly deletions. `guard_site_actions` (run once the admin is
assembled, PrivacyConfig.ready) makes every registered ModelAdmin, ours and anyone else's, drop an
action that declares no permission for a user without the model's change permission: the next
third-party action is covered without anybody noticing it. privacy/third_party_admin.py then gives
the known third-party actions explicit permissions and records who ran them.
"""

from __future__ import annotations

from django.contrib import admin


def declares_permissions(func) -> bool:
    return bool(getattr(func, "allowed_permissions", ()))


def guard_actions(model_admin: admin.ModelAdmin) -> None:
    """Wrap one ModelAdmin's get_actions (the list shown and the only ones a POST may run)."""
    if getattr(model_admin, "_undeclared_actions_guarded", False):
        return
    offered = model_admin.get_actions

    def get_actions(request):
        actions = offered(request)
        undeclared = [name for name, (func, *_rest) in actions.items() if not declares_permissions(func)]
        if undeclared and not model_admin.has_change_permission(request):
            for name in undeclared:
                del actions[name]
        return actions

    model_admin.get_actions = get_actions
    model_admin._undeclared_actions_guarded = True


def guard_site_actions(site: admin.AdminSite | None = None) -> None:
    for model_admin in (site or admin.site)._registry.values():
        guard_actions(model_admin)
