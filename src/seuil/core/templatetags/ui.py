"""Seuil's interface components as template tags and filters (RGAA 4.1, WCAG 2.1 AA).

{% load ui %}

Slot: what the apps above registered for this place of the page (`seuil.core.slots`):

    {% slot "household_sections" household=household %}

Breadcrumb ("Fil d'Ariane"), each link as two arguments, its URL then its label (the URL
a URL name without arguments, or a path), then the label of the current page:

    {% breadcrumb "households:list" "Ménages" household.get_absolute_url household "Historique" %}

A list of (URL, label) pairs from the view stands for as many links:
``{% breadcrumb crumbs title %}``.

Data table, in a horizontal scroll container so that a wide table does not break a small
screen; with `rows`, an empty list shows the `empty` message (or the ``{% empty %}`` part,
as in ``{% for %}``) instead of the table (the tag is written on one line; cut here to fit):

    {% table rows caption="Ménages" columns="Nom|Personnes" numeric="2" empty="Aucun."
       page=page_obj query=query_without_page %}
      {% for row in rows %}<tr><th scope="row">…</th><td>…</td></tr>{% endfor %}
    {% endtable %}

- `caption` (required), or a ``{% caption %}…{% endcaption %}`` block inside the table
  when the caption needs template logic; a paginated table adds "(page 2 sur 5)";
- `columns`: the column headers ("A|B|C" or a list), made into ``<th scope="col">``;
  the body then holds the rows only. Without `columns`, the body holds its own
  ``<thead>`` and ``<tbody>`` (for headers that depend on the user, say);
- `numeric`: the numeric columns, right-aligned with tabular figures: "2,3" counts from
  the left (1 = first column), "-1" from the right (-1 = last column);
- `page` (a Django `Page`) and `query` (the query string without `page`, ending with
  "&"): the pagination links under the table (`ui/pagination.html`); `page_param`: the
  parameter naming its page, for a second paginated table of the page (default "page");
- `id`: the table's id (an anchor, a chart's data table).

Amounts and dates, in one format everywhere:

    {{ amount|money }}                      "1 234,50 €" ("—" for None)
    {{ amount|money:"Non renseigné" }}      … and the text to show for None
    {{ day|date_fr }}                       "05/03/2024" ("" for None)
    {{ moment|datetime_fr }}                "05/03/2024 à 14:30", in the instance's time
                                            zone (Europe/Paris)
    {{ code|commune }}                      "Amiens (80021)": a commune by its INSEE code

Plurals and elision, French rules (`seuil.core.wording`):

    {{ n|pluriel:"logement" }}              "0 logement", "1 logement", "2 logements"
    {{ n|pluriel:"ménage compté,ménages comptés" }}   irregular plural, several words
    {{ n|accord:"correspond,correspondent" }}         the agreeing word alone
    Historique {{ person.full_name|de }}    "Historique d'Elif", "Historique de Martin"

Forms with errors, once for every page in ``base.html``: ``{% errored_forms as errored %}``
gives the bound forms of the page's context that have errors (the title then starts with
« Erreur : »); ``{% error_summary errored %}`` lists their errors at the top of the content,
focused, each a link to its field. A form may name its summary (``error_summary_title``).
"""

import datetime
import re
from decimal import ROUND_HALF_UP, Decimal

from django import forms, template
from django.template.base import Node, TemplateSyntaxError, token_kwargs
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from seuil.core import communes, slots, wording

register = template.Library()

CENT = Decimal("0.01")
THOUSANDS = wording.THOUSANDS


# ---- breadcrumb ---------------------------------------------------------------------------


def _url(target):
    target = str(target)
    return target if target.startswith(("/", "?", "#", "http")) else reverse(target)


def crumbs_of(args):
    """(URL, label) pairs from the breadcrumb's arguments (URL, label, URL, label, …)."""
    links, pending = [], list(args)
    while pending:
        first = pending.pop(0)
        if isinstance(first, (list, tuple)):
            links.extend((url, label) for url, label in first)
            continue
        if not pending:
            raise TemplateSyntaxError(f"breadcrumb: the link to « {first} » has no label.")
        links.append((_url(first), pending.pop(0)))
    return links


@register.inclusion_tag("ui/breadcrumb.html")
def breadcrumb(*args):
    """The "Fil d'Ariane" above the title of a page; see the module's docstring."""
    if not args:
        raise TemplateSyntaxError("breadcrumb needs at least the current page's label.")
    *links, current = args
    return {"links": crumbs_of(links), "current": current}


# ---- data table ---------------------------------------------------------------------------

TABLE_OPTIONS = {"caption", "columns", "numeric", "empty", "page", "query", "page_param", "id"}


class CaptionNode(Node):
    """The caption of the enclosing ``{% table %}``, which renders it in its place."""

    child_nodelists = ("nodelist",)

    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        return ""


@register.tag("caption")
def do_caption(parser, token):
    nodelist = parser.parse(("endcaption",))
    parser.delete_first_token()
    return CaptionNode(nodelist)


# What a keyboard reaches inside a table's body.
FOCUSABLE = re.compile(
    r"<(?:a\s[^>]*\bhref=|button\b|input\b(?![^>]*type=\"hidden\")|select\b|textarea\b|summary\b)"
)

NUMERIC_COLUMNS = range(-3, 13)  # the columns seuil.css can align: 1 to 12, and the last 3


def _numeric(spec):
    if not spec:
        return []
    numbers = [int(part) for part in str(spec).replace(" ", "").split(",") if part]
    if any(n == 0 or n not in NUMERIC_COLUMNS for n in numbers):
        raise TemplateSyntaxError(f"table: numeric columns are 1 to 12 or -1 to -3, not {spec}.")
    return numbers


def _columns(spec):
    if not spec:
        return []
    if isinstance(spec, str):
        return spec.split("|")
    return list(spec)


def numeric_classes(numeric):
    """The table's classes that right-align its numeric columns (see seuil.css)."""
    return " ".join(f"num-{n}" if n > 0 else f"num-last-{-n}" for n in numeric)


class TableNode(Node):
    child_nodelists = ("nodelist", "nodelist_empty")

    def __init__(self, rows, options, nodelist, nodelist_empty):
        self.rows = rows
        self.options = options
        self.nodelist = nodelist
        self.nodelist_empty = nodelist_empty
        self.caption = next((n for n in nodelist if isinstance(n, CaptionNode)), None)

    def render(self, context):
        options = {name: value.resolve(context) for name, value in self.options.items()}
        rows = self.rows.resolve(context) if self.rows is not None else None
        has_rows = rows is None or bool(rows)
        if not has_rows and self.nodelist_empty is not None:
            return self.nodelist_empty.render(context)
        values = {
            "id": options.get("id", ""),
            "has_rows": has_rows,
            "focusable": False,
            "empty": options.get("empty", ""),
            "caption": "",
            "columns": [],
            "classes": "",
            "body": "",
            "page": options.get("page"),
            "query": options.get("query") or "",
            "page_param": options.get("page_param") or "page",
            "pagination_label": "",
        }
        if has_rows:
            values.update(
                # The caption block is rendered with autoescaping: safe as it is.
                caption=(
                    mark_safe(self.caption.nodelist.render(context).strip())  # noqa: S308  # nosec
                    if self.caption
                    else options["caption"]
                ),
                columns=_columns(options.get("columns")),
                classes=numeric_classes(_numeric(options.get("numeric"))),
                body=self.nodelist.render(context),
            )
            # A table scrolled sideways must be reachable by keyboard: through its links,
            # or, when it has none, its scroll container takes the focus itself.
            values["focusable"] = not FOCUSABLE.search(values["body"])
            # A second paginated table of a page (its own `page_param`): its page links
            # are named after its caption, so that the two navigations differ.
            if values["page_param"] != "page":
                values["pagination_label"] = values["caption"]
        table = context.template.engine.get_template("ui/table.html")
        return table.render(context.new(values))


@register.tag("table")
def do_table(parser, token):
    """A data table: see the module's docstring."""
    bits = token.split_contents()[1:]
    rows = None
    if bits and "=" not in bits[0]:
        rows = parser.compile_filter(bits.pop(0))
    options = token_kwargs(bits, parser)
    if bits:
        raise TemplateSyntaxError(f"table: unexpected argument « {bits[0]} ».")
    unknown = set(options) - TABLE_OPTIONS
    if unknown:
        raise TemplateSyntaxError(f"table: unknown option(s) {', '.join(sorted(unknown))}.")
    nodelist = parser.parse(("empty", "endtable"))
    nodelist_empty = None
    if parser.next_token().contents == "empty":
        if rows is None or "empty" in options:
            raise TemplateSyntaxError("table: {% empty %} needs the rows and no empty=… option.")
        nodelist_empty = parser.parse(("endtable",))
        parser.delete_first_token()
    captions = [node for node in nodelist if isinstance(node, CaptionNode)]
    if len(captions) + ("caption" in options) != 1:
        raise TemplateSyntaxError(
            "table: give one caption, either caption=… or {% caption %}…{% endcaption %} "
            "directly inside the table."
        )
    return TableNode(rows, options, nodelist, nodelist_empty)


# ---- amounts and dates --------------------------------------------------------------------


@register.filter
def money(amount, empty="—"):
    """An amount in euros, as the activity report writes numbers: "1 234,50 €"."""
    if amount is None or amount == "":
        return empty
    value = Decimal(str(amount)).quantize(CENT, rounding=ROUND_HALF_UP)
    text = f"{value:,.2f}".replace(",", THOUSANDS).replace(".", ",")
    return f"{text} €"


def _local(moment):
    if timezone.is_aware(moment):
        return timezone.localtime(moment, timezone.get_default_timezone())
    return moment


@register.filter
def date_fr(value):
    """A day as "05/03/2024" (a date and time: its day in the instance's time zone)."""
    if value in (None, ""):
        return ""
    if isinstance(value, datetime.datetime):
        value = _local(value)
    return value.strftime("%d/%m/%Y")


@register.filter
def datetime_fr(value):
    """A moment as "05/03/2024 à 14:30", in the instance's time zone (Europe/Paris)."""
    if value in (None, ""):
        return ""
    return _local(value).strftime("%d/%m/%Y à %H:%M")


@register.filter
def commune(code):
    """A commune by its INSEE code, as people read it: « Amiens (80021) » (`core.communes`)."""
    return communes.describe(code)


# ---- slots ----------------------------------------------------------------------------------


@register.simple_tag(takes_context=True)
def slot(context, name, **arguments):
    """What the apps above registered for the slot `name`, in order (`seuil.core.slots`)."""
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


# ---- wording ----------------------------------------------------------------------------------


@register.filter
def pluriel(count, forms):
    """The count and the word agreeing with it, French rules: « 0 logement », « 2 logements »."""
    if count in (None, ""):
        return ""
    return wording.plural(count, forms)


@register.filter
def accord(count, forms):
    """The word alone, agreeing with the count: ``{{ n|accord:"a,ont" }}``."""
    if count in (None, ""):
        return ""
    return wording.agreement(count, forms)


@register.filter
def periode(start, end):
    """« 1er novembre 2025 – 31 octobre 2026 »: ``{{ start|periode:end }}`` (dates or ISO
    strings)."""
    if start in (None, "") or end in (None, ""):
        return ""
    return wording.period(_day(start), _day(end))


def _day(value):
    if isinstance(value, str):
        return datetime.date.fromisoformat(value)
    if isinstance(value, datetime.datetime):
        return _local(value).date()
    return value


@register.filter
def rang(number):
    """A rank: « 1er », « 4e »."""
    if number in (None, ""):
        return ""
    return wording.ordinal(number)


@register.filter
def de(word):
    """« de » before a name, elided before a vowel or an h: « d'Elif », « de Martin »."""
    return wording.of_name(word)


# ---- forms with errors ------------------------------------------------------------------


def _errored(value):
    return isinstance(value, forms.BaseForm) and value.is_bound and bool(value.errors)


@register.simple_tag(takes_context=True)
def errored_forms(context):
    """The bound forms of the page's context that have errors, each once, in context order:
    ``base.html`` prefixes the title with « Erreur : » and shows the error summary."""
    found, seen = [], set()
    for value in context.flatten().values():
        if _errored(value) and id(value) not in seen:
            seen.add(id(value))
            found.append(value)
    return found


def error_anchor(bound_field):
    """The id of the control a summary link leads to: the field itself, or the first
    button or box of a group (a group's fieldset has no id of its own)."""
    if bound_field.is_hidden:
        return ""
    anchor = bound_field.id_for_label
    if not anchor:
        first = next(iter(bound_field.subwidgets), None)
        anchor = first.id_for_label if first is not None else ""
    return anchor or ""


def form_sections(form):
    """[(heading, [bound fields])] of a form that declares `sections` ((heading, (field
    names…)), …): a long form shown in parts, each a fieldset with its heading. A visible
    field no section names comes in a last part, « Autres informations »; a form without
    `sections` is one part without heading."""
    visible = [bound for bound in form.visible_fields()]
    declared = getattr(form, "sections", None)
    if not declared:
        return [("", visible)]
    by_name = {bound.name: bound for bound in visible}
    parts, placed = [], set()
    for heading, names in declared:
        fields = [by_name[name] for name in names if name in by_name]
        placed.update(bound.name for bound in fields)
        if fields:
            parts.append((heading, fields))
    rest = [bound for bound in visible if bound.name not in placed]
    if rest:
        parts.append(("Autres informations", rest))
    return parts


register.simple_tag(form_sections)


def error_items(form):
    """Every error of `form`, the form's own first, as {label, message, anchor, section}:
    each error of a visible field links to it; `section` is the heading of its part of a
    form in sections (`form_sections`)."""
    section_of = {
        bound.name: heading for heading, fields in form_sections(form) for bound in fields
    }
    items = [
        {"label": "", "message": message, "anchor": "", "section": ""}
        for message in form.non_field_errors()
    ]
    for bound_field in form:
        for message in bound_field.errors:
            anchor = error_anchor(bound_field)
            label = bound_field.label if anchor else ""
            items.append(
                {
                    "label": label,
                    "message": message,
                    "anchor": anchor,
                    "section": section_of.get(bound_field.name, ""),
                }
            )
    return items


def by_section(items):
    """[(section heading, [items])] in the order the sections come, the form's own errors
    (no section) first."""
    groups = {}
    for item in items:
        groups.setdefault(item["section"], []).append(item)
    return list(groups.items())


@register.inclusion_tag("ui/error_summary.html")
def error_summary(errored):
    """The list of the errors of the page's forms, at the top of the content: focused when
    the page opens (no script needed), each error a link to its field."""
    items = [item for form in errored for item in error_items(form)]
    titles = {getattr(form, "error_summary_title", "") for form in errored} - {""}
    title = titles.pop() if len(titles) == 1 and len(errored) == 1 else ""
    return {
        "items": items,
        "groups": by_section(items),
        "sectioned": any(item["section"] for item in items),
        "title": title or f"Le formulaire contient {wording.plural(len(items), 'erreur')}",
    }
