from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .services import job_for_read, jobs_visible_to


@login_required
def job_list(request):
    return render(request, "jobs/list.html", {"jobs": jobs_visible_to(request.user).defer("payload")[:50]})


@login_required
def job_detail(request, job_id):
    return render(request, "jobs/detail.html", {"job": job_for_read(request.user, job_id)})
