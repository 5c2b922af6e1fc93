"""What the reason codes of xuncha.text.vagueness mean, in the user's language.

The text library stays free of Django and speaks in codes; the pages, the API and the
evaluation area translate them here.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext_lazy

REASONS = {
    "slogan": gettext_lazy("slogans without a concrete action"),
    "no_object": gettext_lazy("nothing concrete is acted on"),
    "no_time": gettext_lazy("no date or time limit"),
    "no_quantity": gettext_lazy("no number or amount"),
    "no_actor": gettext_lazy("no one named responsible"),
    "short": gettext_lazy("too short to say what will be done"),
    "copy": gettext_lazy("nearly the same as the measures for another problem"),
}


def describe(reasons: Iterable[str]) -> list[str]:
    """The reasons as text, in the order given; a code this module does not know (the text
    library may learn new ones) is shown as it is rather than dropped."""
    return [str(REASONS[code]) if code in REASONS else code for code in reasons]
