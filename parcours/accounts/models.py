"""Agencies, places and users: who works where, with which role."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Place(models.Model):
    """A node of the place tree: country > region > cercle > commune; centres and flow
    monitoring points hang under the commune or cercle they sit in.

    `path` ("/ML/KAY/NIO/") lets scoping ask "is this place inside that one" with one
    indexed prefix comparison instead of walking the tree."""

    class Kind(models.TextChoices):
        COUNTRY = "country", _("country")
        REGION = "region", _("region")
        CERCLE = "cercle", _("cercle")
        COMMUNE = "commune", _("commune")
        CENTRE = "centre", _("centre")
        FMP = "fmp", _("flow monitoring point")
        ANTENNA = "antenna", _("reception antenna")

    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    path = models.CharField(max_length=255, unique=True, editable=False)
    # Name without accents or case, for lookups by name ("Segou" finds "Ségou").
    search_name = models.CharField(max_length=120, db_index=True, editable=False, default="")
    # The humanitarian P-code (OCHA COD-AB: "ML0106" for the cercle of Nioro du Sahel), used by
    # HXL and IATI exports. Blank for programme places (centres, points) that have none.
    pcode = models.CharField(_("P-code"), max_length=20, blank=True, db_index=True)
    latitude = models.DecimalField(_("latitude"), max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=8, decimal_places=5, null=True, blank=True)

    class Meta:
        verbose_name = _("place")
        verbose_name_plural = _("places")
        ordering = ["path"]
        indexes = [models.Index(fields=["kind", "name"])]
        constraints = [models.UniqueConstraint(fields=["parent", "code"], name="place_code_unique_in_parent")]

    def __str__(self) -> str:
        return self.name

    def contains(self, other: "Place | None") -> bool:
        return other is not None and other.path.startswith(self.path)


class Agency(models.Model):
    class Kind(models.TextChoices):
        UN = "un", _("UN agency")
        MINISTRY = "ministry", _("ministry")
        STATE = "state", _("state service")
        NGO = "ngo", _("NGO")
        TRAINING = "training", _("training centre")
        SERVICE = "service", _("service provider")
        DONOR = "donor", _("donor")

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    # Agencies of the joint registry see every person in their places; others only the
    # people assigned or referred to them, with consent (CONTRACT.md "People").
    joint_registry = models.BooleanField(_("member of the joint registry"), default=False)

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class Role(models.TextChoices):
    ADMIN = "admin", _("system administrator")
    RECEPTION = "reception", _("reception agent")
    PROTECTION = "protection", _("protection officer")
    CASEWORKER = "caseworker", _("reintegration case worker")
    CENTRE_MANAGER = "centre_manager", _("centre manager")
    ENUMERATOR = "enumerator", _("enumerator")
    FOCAL_POINT = "focal_point", _("sensitization focal point")
    SERVICE_PROVIDER = "service_provider", _("service provider")
    ME_OFFICER = "me_officer", _("M&E officer")
    MANAGER = "manager", _("programme manager")
    AUDITOR = "auditor", _("auditor")


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.RECEPTION)
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="users")
    # None means everywhere.
    place = models.ForeignKey(Place, null=True, blank=True, on_delete=models.PROTECT, related_name="users")

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def everywhere(self) -> bool:
        return self.place_id is None

    def has_role(self, *roles: str) -> bool:
        return self.is_active and self.role in roles


class ApiToken(models.Model):
    """Bearer token for the API. Only a SHA-256 digest is stored: a leaked table gives no access.

    A token works until `expires_at` (settings.API_TOKEN_LIFETIME_HOURS after it was issued) or
    until it is revoked: by its holder (DELETE /api/v1/auth/token), by an administrator, or when
    the account is locked out, deactivated or its password changes."""

    class Revocation(models.TextChoices):
        LOGOUT = "logout", _("signed out by its holder")
        ADMIN = "admin", _("revoked by an administrator")
        LOCKOUT = "lockout", _("account locked out")
        DEACTIVATED = "deactivated", _("account deactivated")
        PASSWORD = "password", _("password changed")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("issued"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), db_index=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_reason = models.CharField(_("why revoked"), max_length=16, choices=Revocation.choices, blank=True)
    revoked_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user} #{self.pk}"

    def is_live(self, now) -> bool:
        return self.revoked_at is None and self.expires_at > now


class DigestSecret(models.Model):
    """What HTTP Digest authentication (RFC 7616, MD5 as ODK Collect and KoboCollect use it) checks
    a login against: HA1 = MD5(username:realm:password). Passwords are stored hashed, so the server
    learns HA1 when it sees the password (any successful login: the web page, an API token, HTTP
    Basic) and forgets it when the password changes. HA1 opens the OpenRosa endpoints as the
    password would: encrypted at rest, never shown."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="digest_secret")
    realm = models.CharField(max_length=60)
    ha1_encrypted = models.BinaryField(editable=False)
    updated_at = models.DateTimeField(auto_now=True)
