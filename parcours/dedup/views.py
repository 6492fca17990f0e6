from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from parcours.core.counting import FastPaginator
from parcours.core.errors import NotFound, ServiceError
from parcours.core.web import flash_service_error

from . import selectors, services
from .policies import READERS, can_review, merges_visible_to, pair_for_read


def _readable(user):
    from parcours.accounts.roles import can

    if not can(user, READERS):
        raise Http404


@login_required
@require_GET
def queue(request):
    _readable(request.user)
    page = FastPaginator(selectors.pending_pairs(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "dedup/queue.html", {"page": page, "can_review": can_review(request.user),
                                                "query": request.GET.copy()})


@login_required
@require_POST
def scan_start(request):
    from parcours.jobs.services import job_start

    try:
        job = job_start(by=request.user, kind="dedupe_registry")
    except ServiceError:
        raise Http404 from None
    return redirect("jobs:detail", job_id=job.pk)


@login_required
@require_GET
def pair_detail(request, pair_id):
    try:
        pair = pair_for_read(request.user, pair_id)
    except NotFound:
        raise Http404 from None
    return render(request, "dedup/pair.html", {"pair": pair, "view": selectors.pair_view(pair),
                                               "can_review": can_review(request.user)})


def _act(request, pair_id, action, done):
    try:
        action()
    except NotFound:
        raise Http404 from None
    except ServiceError as exc:
        flash_service_error(request, exc)
    else:
        messages.success(request, done)
    return redirect("dedup:pair", pair_id=pair_id)


@login_required
@require_POST
def review(request, pair_id):
    return _act(request, pair_id, lambda: services.pair_review(
        by=request.user, pair_id=pair_id, decision=request.POST.get("decision", ""), note=request.POST.get("note", "")),
        _("Decision recorded."))


@login_required
@require_POST
def merge(request, pair_id):
    return _act(request, pair_id, lambda: services.persons_merge(
        by=request.user, pair_id=pair_id, survivor_id=request.POST.get("survivor", "")), _("Records merged."))


@login_required
@require_GET
def merges(request):
    _readable(request.user)
    page = FastPaginator(merges_visible_to(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "dedup/merges.html", {"page": page, "can_review": can_review(request.user),
                                                 "query": request.GET.copy()})


@login_required
@require_POST
def undo(request, merge_id):
    try:
        services.merge_undo(by=request.user, merge_id=merge_id)
    except NotFound:
        raise Http404 from None
    except ServiceError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Merge undone."))
    return redirect("dedup:merges")
