"""Tags of the page components. Usage: {% load ui %}

{% slot "name" arg=value … %}   what the apps above registered for this place of the page
                                 (`seuil.core.slots`)
"""

from django import template
from django.utils.safestring import mark_safe

from seuil.core import slots

register = template.Library()


@register.simple_tag(takes_context=True)
def slot(context, name, **arguments):
    parts = []
    for filler in slots.fillers(name):
        variables = {}
        if filler.context is not None:
            variables = filler.context(context.get("request"), **arguments)
            if variables is None:
                continue
        filling = context.template.engine.get_template(filler.template)
        with context.push({**arguments, **variables}):
            parts.append(filling.render(context))
    # Each part is a template rendered with autoescaping: safe as it is.
    return mark_safe("".join(parts))  # noqa: S308  # nosec
