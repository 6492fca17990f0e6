"""Who manages accounts: the system administrator only. (accounts sits below parcours.core, so
refusals here are Django's Http404: a page or account outside the caller's reach does not exist.)"""

from django.http import Http404

from .models import User
from .roles import ACCOUNT_ADMINS, can


def can_manage_accounts(user) -> bool:
    return can(user, ACCOUNT_ADMINS)


def accounts_visible_to(user):
    if not can_manage_accounts(user):
        return User.objects.none()
    return User.objects.select_related("agency", "place").order_by("username")


def account_for_admin(user, user_id) -> User:
    try:
        return accounts_visible_to(user).get(pk=int(user_id))
    except (User.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404() from None
