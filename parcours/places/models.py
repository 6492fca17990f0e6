"""The gazetteer beyond the place tree (which lives in `accounts.Place`): the other names a
place goes by, and the place names people typed that the gazetteer does not know yet."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PlaceName(models.Model):
    """Another name of a place: "Nioro" for the cercle of Nioro du Sahel, "District de Bamako"
    for Bamako, an old spelling, a name in Bambara."""

    place = models.ForeignKey("accounts.Place", models.CASCADE, related_name="alternate_names")
    name = models.CharField(_("name"), max_length=120)
    # Without accents or case, as `accounts.selectors.name_key` makes it.
    search_name = models.CharField(max_length=120, db_index=True)

    class Meta:
        verbose_name = _("alternate name")
        verbose_name_plural = _("alternate names")
        constraints = [models.UniqueConstraint(fields=["place", "search_name"], name="place_name_unique")]

    def __str__(self) -> str:
        return self.name


class UnresolvedPlace(models.Model):
    """A place name as someone wrote it that matched nothing. The record that used it keeps
    the text and goes on; a data cleaner links the name to a place or adds it."""

    kind = models.CharField(_("kind"), max_length=16)
    text = models.CharField(_("as written"), max_length=120)
    search_name = models.CharField(max_length=120)
    within = models.ForeignKey("accounts.Place", models.SET_NULL, null=True, blank=True, related_name="+",
                               verbose_name=_("inside"))
    uses = models.PositiveIntegerField(_("times used"), default=0)
    first_seen = models.DateTimeField(_("first seen"), auto_now_add=True)
    last_seen = models.DateTimeField(_("last seen"), auto_now=True)
    resolved_to = models.ForeignKey("accounts.Place", models.SET_NULL, null=True, blank=True, related_name="+",
                                    verbose_name=_("confirmed as"))

    class Meta:
        verbose_name = _("place to confirm")
        verbose_name_plural = _("places to confirm")
        ordering = ["-uses", "text"]
        constraints = [models.UniqueConstraint(fields=["kind", "search_name"], name="unresolved_place_unique")]

    def __str__(self) -> str:
        return self.text
