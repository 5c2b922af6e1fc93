from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from xuncha.workbench.todos import todos_for


@login_required
def home(request):
    return render(request, "workbench/home.html", {"todos": todos_for(request.user)})


def error_403(request, exception=None):
    return render(request, "403.html", status=403)


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_500(request):
    return render(request, "500.html", status=500)
