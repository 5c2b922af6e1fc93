"""`{% fieldwork_summary group %}`: the group's fieldwork at a glance, for the group page."""

from django import template

from xuncha.rounds.selectors import fieldwork as selectors

register = template.Library()


@register.inclusion_tag("rounds/fieldwork/_summary.html", takes_context=True)
def fieldwork_summary(context, group):
    user = context["request"].user
    return {"group": group, "summary": selectors.fieldwork_summary(user, group)}
