"""The interface components of `{% load ui %}`: breadcrumb, data table, amounts and dates."""

import datetime
from decimal import Decimal

import pytest
from django import forms
from django.core.paginator import Paginator
from django.template import Context, Template, TemplateSyntaxError
from django.urls import reverse
from lxml import html


def render(source, **context):
    return Template("{% load ui %}" + source).render(Context(context))


def test_the_breadcrumb_links_each_level_and_marks_the_current_page():
    out = render(
        '{% breadcrumb "households:list" "Ménages" "/menages/x/" name "Historique" %}',
        name="Ménage Diallo",
    )
    nav = html.fragment_fromstring(out)
    assert nav.tag == "nav" and nav.get("aria-label") == "Fil d'Ariane"
    links = nav.xpath(".//li/a")
    assert [(a.get("href"), a.text) for a in links] == [
        ("/menages/", "Ménages"),
        ("/menages/x/", "Ménage Diallo"),
    ]
    current = nav.xpath(".//li/span[@aria-current='page']")
    assert [span.text for span in current] == ["Historique"]


def test_the_breadcrumb_takes_the_views_pairs():
    out = render("{% breadcrumb crumbs title %}", crumbs=[("/a/", "A"), ("/b/", "B")], title="C")
    nav = html.fragment_fromstring(out)
    assert [a.text for a in nav.xpath(".//a")] == ["A", "B"]
    assert nav.xpath("string(.//span[@aria-current='page'])") == "C"


def test_a_link_without_its_label_is_an_error():
    with pytest.raises(TemplateSyntaxError):
        render('{% breadcrumb "/a/" "A" "/b/" "Titre" %}')  # "/b/" has no label
    with pytest.raises(TemplateSyntaxError):
        render("{% breadcrumb %}")


def _table(rows, **options):
    source = (
        '{% table rows caption="Ménages" columns="Nom|Personnes|Loyer" numeric="2,-1" '
        'empty="Aucun ménage." page=page query=query %}'
        '{% for name, n, rent in rows %}<tr><th scope="row">{{ name }}</th><td>{{ n }}</td>'
        "<td>{{ rent|money }}</td></tr>{% endfor %}{% endtable %}"
    )
    return render(source, rows=rows, page=options.get("page"), query=options.get("query", ""))


def test_a_table_has_a_caption_column_headers_and_a_scroll_container():
    out = _table([("Diallo", 3, Decimal("420"))])
    wrapper = html.fragment_fromstring(out.strip())
    assert wrapper.tag == "div" and wrapper.get("class") == "table-scroll"
    table = wrapper.xpath("./table")[0]
    assert table.xpath("string(./caption)") == "Ménages"
    headers = table.xpath("./thead/tr/th")
    assert [th.text for th in headers] == ["Nom", "Personnes", "Loyer"]
    assert {th.get("scope") for th in headers} == {"col"}
    assert table.get("class") == "num-2 num-last-1"  # right-aligned by seuil.css
    assert table.xpath("string(./tbody/tr/td[2])") == "420,00 €"


def test_a_table_scrolled_sideways_is_reached_by_keyboard_through_its_links_or_itself():
    plain = html.fragment_fromstring(_table([("Diallo", 3, Decimal("420"))]).strip())
    # No link inside: the scroll container takes the focus, named by the caption.
    assert (plain.get("tabindex"), plain.get("role"), plain.get("aria-label")) == (
        "0",
        "region",
        "Ménages",
    )
    linked = render(
        '{% table caption="Ménages" columns="Nom" %}<tr><th scope="row">'
        '<a href="/menages/x/">Diallo</a></th></tr>{% endtable %}'
    )
    wrapper = html.fragment_fromstring(linked.strip())
    assert wrapper.get("tabindex") is None and wrapper.get("role") is None


def test_a_table_without_rows_shows_its_empty_message():
    out = _table([]).strip()
    assert out == "<p>Aucun ménage.</p>"


def test_a_paginated_table_says_which_page_and_links_the_others():
    page = Paginator([("A", 1, None)] * 30, 10).get_page(2)
    out = _table(page.object_list, page=page, query="q=x&")
    doc = html.fragment_fromstring(out, create_parent="div")
    assert doc.xpath("string(.//caption)") == "Ménages (page 2 sur 3)"
    assert doc.xpath(".//nav[@class='pagination']//a/@href") == ["?q=x&page=1", "?q=x&page=3"]


def test_a_caption_block_holds_template_logic_and_the_body_its_own_header():
    out = render(
        "{% table rows %}{% caption %}Logements{% if f %} filtrés{% endif %}{% endcaption %}"
        '<thead><tr><th scope="col">Réf.</th></tr></thead>'
        "<tbody>{% for r in rows %}<tr><td>{{ r }}</td></tr>{% endfor %}</tbody>{% endtable %}",
        rows=["L1"],
        f=True,
    )
    table = html.fragment_fromstring(out.strip()).xpath("./table")[0]
    assert table.xpath("string(./caption)") == "Logements filtrés"
    assert table.xpath("./thead/tr/th/text()") == ["Réf."]
    assert table.xpath("./tbody/tr/td/text()") == ["L1"]


def test_the_empty_part_of_a_table_may_hold_template_logic():
    source = (
        '{% table rows caption="Demandes" id="demandes" %}'
        "<tbody>{% for r in rows %}<tr><td>{{ r }}</td></tr>"
        "{% empty %}<tr><td>-</td></tr>{% endfor %}</tbody>"
        "{% empty %}<p>Aucune demande{% if status %} avec ce statut{% endif %}.</p>{% endtable %}"
    )
    assert render(source, rows=[], status="x") == "<p>Aucune demande avec ce statut.</p>"
    table = html.fragment_fromstring(render(source, rows=["D1"]).strip()).xpath("./table")[0]
    assert table.get("id") == "demandes" and table.xpath("./tbody/tr/td/text()") == ["D1"]


@pytest.mark.parametrize(
    "source",
    [
        "{% table rows %}<tbody></tbody>{% endtable %}",  # no caption
        '{% table caption="A" %}{% empty %}x{% endtable %}',  # an empty part, but no rows
        '{% table rows caption="A" %}{% caption %}B{% endcaption %}{% endtable %}',  # two
        '{% table rows caption="A" colour="red" %}{% endtable %}',  # unknown option
        '{% table rows caption="A" numeric="13" %}{% endtable %}',  # not alignable
    ],
)
def test_a_table_refuses_what_it_cannot_make_accessible(source):
    with pytest.raises(TemplateSyntaxError):
        render(source, rows=[1])


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        (Decimal("1234.5"), "1\u202f234,50 €"),
        (420, "420,00 €"),
        (0.125, "0,13 €"),
        (Decimal("-60"), "-60,00 €"),
        (Decimal("1234567.891"), "1\u202f234\u202f567,89 €"),
    ],
)
def test_amounts_are_written_the_french_way_as_in_the_activity_report(amount, shown):
    assert render("{{ amount|money }}", amount=amount) == shown


def test_an_unknown_amount_says_so():
    assert render("{{ amount|money }}", amount=None) == "—"
    assert render('{{ amount|money:"Non renseigné" }}', amount=None) == "Non renseigné"


def test_dates_and_moments_are_written_day_first_in_paris_time():
    moment = datetime.datetime(2024, 7, 1, 22, 30, tzinfo=datetime.UTC)  # 00:30 in Paris
    context = {"day": datetime.date(2024, 3, 5), "moment": moment, "none": None}
    assert render("{{ day|date_fr }}", **context) == "05/03/2024"
    assert render("{{ moment|date_fr }}", **context) == "02/07/2024"
    assert render("{{ moment|datetime_fr }}", **context) == "02/07/2024 à 00:30"
    assert render('{{ none|date_fr|default:"—" }}', **context) == "—"
    assert render("{{ none|datetime_fr }}", **context) == ""


# ---- forms with errors ----------------------------------------------------------------------


class _TwoDatesForm(forms.Form):
    entered_on = forms.DateField(label="Date d'entrée")
    exited_on = forms.DateField(label="Date de sortie")
    party = forms.ChoiceField(
        label="Réponse de", choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        if (
            data.get("entered_on")
            and data.get("exited_on")
            and data["exited_on"] < data["entered_on"]
        ):
            self.add_error("exited_on", "La date de sortie précède la date d'entrée.")
        self.add_error(None, "Une erreur du formulaire lui-même.")
        return data


def test_the_error_summary_lists_every_error_and_links_each_to_its_control():
    form = _TwoDatesForm(
        {"entered_on": "2025-06-10", "exited_on": "2025-06-01", "party": "", "version": "x"}
    )
    out = render(
        "{% errored_forms as errored %}{% error_summary errored %}{% include 'ui/form.html' %}",
        form=form,
        submit="Enregistrer",
        cancel_url="",
        other=_TwoDatesForm(),  # unbound: no error to list
    )
    page = html.fragment_fromstring(out, create_parent="div")
    (summary,) = page.xpath("//div[@class='error-summary']")
    assert summary.get("tabindex") == "-1" and summary.get("autofocus") is not None
    assert summary.xpath("string(.//h2)") == "Le formulaire contient 4 erreurs"
    items = [(li.xpath("string(.//a/@href)"), li.text_content()) for li in summary.xpath(".//li")]
    assert items == [
        ("", "Une erreur du formulaire lui-même."),
        ("#id_exited_on", "Date de sortie : La date de sortie précède la date d'entrée."),
        ("#id_party_0", "Réponse de : Ce champ est obligatoire."),  # the first button
        ("", "Saisissez un nombre entier."),  # a hidden field: nothing to go to
    ]
    # Every link leads to a control of the form, which says it is invalid and why.
    for href in page.xpath("//div[@class='error-summary']//a/@href"):
        (control,) = page.xpath(f"//*[@id='{href[1:]}']")
        assert control.get("aria-invalid") == "true"
    (exit_date,) = page.xpath("//input[@id='id_exited_on']")
    assert exit_date.get("aria-describedby") == "id_exited_on_error"
    assert page.xpath("string(//*[@id='id_exited_on_error'])") == (
        "Erreur : La date de sortie précède la date d'entrée."
    )
    assert not page.xpath("//input[@id='id_entered_on']/@aria-invalid")


def test_a_page_with_a_form_in_error_says_so_in_its_title(client_a):
    url = reverse("households:create")
    assert "<title>Créer un ménage – Seuil</title>" in client_a.get(url).content.decode()
    page = client_a.post(url, {"first_name": "Elif"}).content.decode()
    assert "<title>Erreur : Créer un ménage – Seuil</title>" in page
    # The summary comes first in the content, before the breadcrumb and the title.
    main = page.index('<main id="contenu"')
    assert main < page.index('class="error-summary"') < page.index("Fil d") < page.index("<h1>")
    assert '<a href="#id_last_name">Nom : Ce champ est obligatoire.</a>' in page
    assert 'aria-invalid="true" aria-describedby="id_last_name_error" id="id_last_name"' in page
