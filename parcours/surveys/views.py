"""The questionnaires page: forms published (and publishing a new XLSForm), answers received,
and the administrator-bias report."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from parcours.core.web import act, require

from . import selectors, services
from .models import Form, Submission
from .policies import can_publish_forms, can_read_answers


@login_required
@require_GET
def forms(request):
    require(can_read_answers(request.user))
    rows = [(f, f.versions.first(), Submission.objects.filter(version__form=f, replaced_by__isnull=True).count())
            for f in Form.objects.all()]
    bias = selectors.bias_report(request.user, form_id="satisfaction", question="satisfied")
    return render(request, "surveys/forms.html", {"rows": rows, "bias": bias,
                                                  "can_publish": can_publish_forms(request.user)})


@login_required
@require_POST
def publish(request):
    require(can_publish_forms(request.user))
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose an XLSForm file."))
        return redirect("surveys:forms")
    version = act(request, lambda: services.form_publish(by=request.user, content=upload.read(),
                                                         filename=upload.name))
    if version is not None:
        messages.success(request, _("%(title)s, version %(v)s, is published.") % {"title": version.form.title,
                                                                                 "v": version.version})
    return redirect("surveys:forms")
