from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xuncha.access import policy, services
from xuncha.access.forms import LoginForm, PasswordChangeForm
from xuncha.access.middleware import SESSION_ROLE_KEY
from xuncha.workbench.forms import add_service_errors


class LoginView(auth_views.LoginView):
    template_name = "access/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


@login_required
def password_change(request):
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_change(
                actor=request.user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc, default_field="new_password")
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, _("Your password has been changed."))
            return redirect("workbench:home")
    return render(request, "access/password_change.html", {"form": form})


@login_required
@require_POST
def switch_role(request):
    wanted = request.POST.get("assignment", "")
    for assignment in policy.assignments(request.user):
        if str(assignment.pk) == wanted:
            request.session[SESSION_ROLE_KEY] = assignment.pk
            messages.info(request, _("You now act as %(role)s of %(scope)s.")
                          % {"role": assignment.get_role_display(), "scope": assignment.scope_label})
            break
    return redirect("workbench:home")
