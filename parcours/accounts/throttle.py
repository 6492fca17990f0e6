"""Sign-in throttling: slow guessing down without letting anyone lock someone else out.

- A client (an address) that fails for one username is locked out after AXES_FAILURE_LIMIT
  failures for AXES_COOLOFF_TIME — that client only, for that username only (django-axes,
  AXES_LOCKOUT_PARAMETERS): from any other address the owner still signs in.
- On top, every failure makes the next attempt wait longer (a progressive delay): counted per client
  across usernames (password spraying from one place) up to LOGIN_DELAY_MAX_CLIENT seconds, and
  per username across clients (guessing from many places) up to the much shorter
  LOGIN_DELAY_MAX_USERNAME, so that the account's owner is never made to wait long. An attempt
  that comes too early is refused before the password is looked at: it neither counts nor
  succeeds, and the answer says how long to wait."""

import datetime as dt
import math

from django.conf import settings
from django.db.models import Max, Sum
from django.utils import timezone


def _window_start():
    return timezone.now() - dt.timedelta(hours=float(settings.AXES_COOLOFF_TIME))


def _delay(failures: int, cap: int) -> int:
    free = settings.LOGIN_DELAY_FREE_FAILURES
    if failures <= free:
        return 0
    return min(cap, 2 ** (failures - free - 1))


def _wait(rows, cap: int, now) -> int:
    summary = rows.aggregate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
    delay = _delay(summary["failures"] or 0, cap)
    if not delay or summary["last"] is None:
        return 0
    remaining = (summary["last"] + dt.timedelta(seconds=delay) - now).total_seconds()
    return max(0, math.ceil(remaining))


def wait_seconds(request, username: str) -> int:
    """How many seconds this client must still wait before trying `username` again (0: go ahead)."""
    from axes.helpers import get_client_ip_address
    from axes.models import AccessAttempt

    now = timezone.now()
    recent = AccessAttempt.objects.filter(attempt_time__gte=_window_start())
    ip = get_client_ip_address(request)
    waits = [0]
    if ip:
        waits.append(_wait(recent.filter(ip_address=ip), settings.LOGIN_DELAY_MAX_CLIENT, now))
    if username:
        waits.append(_wait(recent.filter(username=username), settings.LOGIN_DELAY_MAX_USERNAME, now))
    return max(waits)
