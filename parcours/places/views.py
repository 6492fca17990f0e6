"""The data cleaner's page: place names the gazetteer did not know, with the closest known names."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from parcours.accounts.models import Place
from parcours.core.web import require

from . import selectors, services
from .policies import can_clean_places


@login_required
@require_GET
def unresolved(request):
    require(can_clean_places(request.user))
    rows = [(note, selectors.suggest_places(note.text, kind=note.kind)) for note in selectors.unresolved_places()[:200]]
    return render(request, "places/unresolved.html", {"rows": rows})


@login_required
@require_POST
def confirm(request, note_id: int):
    require(can_clean_places(request.user))
    place = get_object_or_404(Place, pk=request.POST.get("place"))
    note = services.unresolved_place_confirm(by=request.user, note_id=note_id, place=place)
    messages.success(request, _("“%(text)s” is now another name of %(place)s.") % {"text": note.text, "place": place.name})
    return redirect("places:unresolved")
