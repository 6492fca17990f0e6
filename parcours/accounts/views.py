from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from . import selectors, services
from .policies import account_for_admin, can_manage_accounts


@login_required
def account(request):
    return render(request, "accounts/account.html", {"account_user": request.user})


@login_required
def users(request):
    """The accounts and how many live API tokens each holds (administrator)."""
    if not can_manage_accounts(request.user):
        raise Http404()
    return render(request, "accounts/users.html", {"accounts": selectors.accounts_with_live_tokens(request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def user_tokens(request, user_id):
    """One account's API tokens: issued, expiry, last use, revoked (when, why, by whom); revoke
    one or all of them (administrator)."""
    account_user = account_for_admin(request.user, user_id)
    if request.method == "POST":
        token = request.POST.get("token") or None
        if token is not None and not token.isdigit():
            raise Http404()
        count = services.token_revoke_by_admin(by=request.user, user_id=account_user.pk,
                                               token_id=int(token) if token else None)
        messages.success(request, ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", count)
                         % {"count": count})
        return redirect("account_user_tokens", user_id=account_user.pk)
    now = timezone.now()
    tokens = list(selectors.tokens_of(account_user)[:200])
    for t in tokens:
        t.live = t.is_live(now)
        t.status = (_("live") if t.live else t.get_revoked_reason_display() if t.revoked_at else _("expired"))
    return render(request, "accounts/user_tokens.html", {
        "account_user": account_user, "tokens": tokens, "any_live": any(t.live for t in tokens),
    })


class LoginView(auth_views.LoginView):
    """The sign-in page, throttled like the API (parcours/accounts/throttle.py): an attempt that
    comes before the progressive delay is over is refused before the password is looked at."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        from .lockout import too_early_message
        from .throttle import wait_seconds

        wait = wait_seconds(request, request.POST.get("username", "")[:150])
        if wait:
            # An unbound form: rendering a bound one would validate it, i.e. try the password.
            form = self.get_form_class()(request, initial={"username": request.POST.get("username", "")[:150]})
            response = self.render_to_response(self.get_context_data(form=form, throttled=too_early_message(wait)))
            response.status_code = 429
            response["Retry-After"] = str(wait)
            return response
        return super().post(request, *args, **kwargs)
