"""HTTP Digest authentication (RFC 7616) as ODK Collect speaks it: MD5, qop="auth", the nonce
reused with a growing nonce count (nc). The server keeps no nonce table: a nonce is a timestamp
signed with the secret key, good for NONCE_SECONDS; a (nonce, nc, cnonce) seen once is refused
again (replay). Passwords are hashed, so the check is against the stored HA1 (DigestSecret)."""

import base64
import hashlib
import hmac
import time
from urllib.request import parse_http_list, parse_keqv_list

from django.conf import settings
from django.core.cache import cache

REALM = "Parcours"
NONCE_SECONDS = 300


def md5(text: str) -> str:
    return hashlib.md5(text.encode("utf-8"), usedforsecurity=False).hexdigest()  # the protocol's own hash


def encrypt(value: str) -> bytes:
    """HA1 at rest: Fernet with the keys of protected data (settings.FIELD_ENCRYPTION_KEYS)."""
    return _cipher().encrypt(value.encode())


def decrypt(token) -> str:
    return _cipher().decrypt(bytes(token)).decode()


def _cipher():
    from cryptography.fernet import Fernet, MultiFernet

    return MultiFernet([Fernet(key) for key in settings.FIELD_ENCRYPTION_KEYS])


def ha1(username: str, password: str, realm: str = REALM) -> str:
    return md5(f"{username}:{realm}:{password}")


def _sign(text: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"digest:{text}".encode(), hashlib.sha256).hexdigest()[:32]


def nonce_issue(now: float | None = None) -> str:
    stamp = str(int(now if now is not None else time.time()))
    return base64.b64encode(f"{stamp}:{_sign(stamp)}".encode()).decode()


def nonce_state(nonce: str, now: float | None = None) -> str:
    """"fresh", "stale" (ours, but too old: the client retries with a new one) or "bad"."""
    try:
        stamp, mac = base64.b64decode(nonce.encode(), validate=True).decode().split(":", 1)
        issued = int(stamp)
    except (ValueError, UnicodeDecodeError):
        return "bad"
    if not hmac.compare_digest(mac, _sign(stamp)):
        return "bad"
    age = (now if now is not None else time.time()) - issued
    return "fresh" if -60 <= age <= NONCE_SECONDS else "stale"


def opaque() -> str:
    return _sign("opaque")


def challenge(*, stale: bool = False) -> str:
    return (f'Digest realm="{REALM}", qop="auth", algorithm=MD5, nonce="{nonce_issue()}", opaque="{opaque()}"'
            + (", stale=true" if stale else ""))


def parse(header: str) -> dict[str, str] | None:
    if header[:7].lower() != "digest ":
        return None
    try:
        return {k.lower(): v for k, v in parse_keqv_list(parse_http_list(header[7:])).items()}
    except ValueError:
        return None


def expected_response(*, ha1_hex: str, method: str, params: dict) -> str:
    ha2 = md5(f"{method}:{params['uri']}")
    return md5(f"{ha1_hex}:{params['nonce']}:{params['nc']}:{params['cnonce']}:{params['qop']}:{ha2}")


def verify(params: dict, *, method: str, path: str, ha1_hex: str | None) -> str:
    """"ok", "stale" or "bad" for the Authorization parameters of one request."""
    needed = ("username", "realm", "nonce", "uri", "response", "qop", "nc", "cnonce")
    if any(not params.get(k) for k in needed) or params["realm"] != REALM or params["qop"] != "auth":
        return "bad"
    if params.get("algorithm", "MD5").upper() != "MD5" or params["uri"] != path or ha1_hex is None:
        return "bad"
    state = nonce_state(params["nonce"])
    if state == "bad":
        return "bad"
    answer = expected_response(ha1_hex=ha1_hex, method=method, params=params)
    if not hmac.compare_digest(answer, params["response"].lower()):
        return "bad"
    if state == "stale":
        return "stale"
    # A recorded request sent again carries a count already used with this nonce: refused.
    if not cache.add(f"digest:{params['nonce']}:{params['cnonce']}:{params['nc']}", 1, NONCE_SECONDS + 60):
        return "bad"
    return "ok"
