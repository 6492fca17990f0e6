"""The address of the client that sent a request, as far as the proxies in front of Parcours can be
trusted: sign-in throttling and lockout (django-axes, AXES_CLIENT_IP_CALLABLE), the public complaint
form's rate limit and the audit trail all read it here.

PARCOURS_TRUSTED_PROXIES (environment, default 0) says how many reverse proxies stand between the
clients and the app server, each adding the address it was reached from to X-Forwarded-For.
- 0: X-Forwarded-For is ignored, the client is the connection's address (REMOTE_ADDR). Anyone can
  write that header: trusting it without a proxy would let an attacker pose as a new client at every
  attempt and never be slowed down.
- N: the client is the N-th address from the right of X-Forwarded-For — the one the outermost of
  our N proxies saw connecting; addresses to its left were written by the client and are ignored. A
  request with fewer entries did not come through our proxies: its connection's address is used."""

import ipaddress

from django.conf import settings


def _address(text: str | None) -> str | None:
    text = (text or "").strip()
    if text.startswith("[") and "]" in text:  # [v6]:port
        text = text[1:text.index("]")]
    elif text.count(":") == 1:  # v4:port
        text = text.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    remote = _address(request.META.get("REMOTE_ADDR"))
    trusted = int(getattr(settings, "PARCOURS_TRUSTED_PROXIES", 0) or 0)
    if trusted <= 0:
        return remote
    hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if len(hops) < trusted:
        return remote
    return _address(hops[-trusted]) or remote
