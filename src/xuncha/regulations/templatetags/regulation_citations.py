"""{% load regulation_citations %} … {{ paper.basis|cite:user }}: the text escaped, each
resolvable citation (条例(2024)第三十二条) a link to its article with the article's text as the hover."""

from django import template

from xuncha.regulations.citations import linked

register = template.Library()


@register.filter(is_safe=False)
def cite(text, user):
    return linked(str(text or ""), user)
