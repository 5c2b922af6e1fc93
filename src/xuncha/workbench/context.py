from xuncha.access.policy import assignments
from xuncha.workbench.nav import menu_for


def shell(request):
    """Top bar and navigation for every page."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    assignment = getattr(request, "current_assignment", None)
    return {
        "shell_menu": menu_for(user, request.path),
        "shell_assignment": assignment,
        "shell_committee": assignment.committee if assignment else None,
        "shell_assignments": assignments(user),
    }
