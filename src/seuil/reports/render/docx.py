"""The activity report as an editable Word document (python-docx, charts drawn by matplotlib).

Title, organisation, period and scope; one heading per section with its tables (Word table
style, header row repeated on each page, bold total row) and its bar charts as PNG images
(with a text alternative); blank narrative sections ("[À compléter]") the operator writes.
"""

import datetime
import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from .. import presentation
from . import labels as L

TABLE_STYLE = "Light Grid Accent 1"
BAR_COLOUR = "#1d4e89"
CHART_WIDTH = Cm(15.5)


def _text(value):
    if isinstance(value, int | float) and not isinstance(value, bool):
        return presentation.french_number(value)
    if value is None:
        return "—"
    return str(value)


def bar_chart_png(title, items, *, percent=False):
    """A horizontal bar chart as PNG bytes; `items`: [(label, number or None)]."""
    labels = [label for label, _ in items][::-1]
    values = [value or 0 for _, value in items][::-1]
    figure = Figure(figsize=(7.5, 0.42 * len(items) + 1.3), dpi=150)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    bars = axes.barh(labels, values, color=BAR_COLOUR, height=0.6)
    top = 1 if percent else max([1, *values])
    axes.set_xlim(0, top * 1.15)
    axes.set_title(title, fontsize=11, loc="left", wrap=True)
    for bar, (_, value) in zip(bars, items[::-1], strict=True):
        if value is None:
            text = "non calculable"
        elif percent:
            text = presentation.percent(value)
        else:
            text = presentation.french_number(value)
        axes.annotate(
            text,
            (bar.get_width(), bar.get_y() + bar.get_height() / 2),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=9,
        )
    axes.xaxis.set_visible(False)
    for side in ("top", "right", "bottom"):
        axes.spines[side].set_visible(False)
    axes.tick_params(axis="y", labelsize=9, length=0)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def _set_language(document, language="fr-FR"):
    document.core_properties.language = language
    run_properties = document.styles["Normal"].element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), language)
    run_properties.append(lang)


def _repeat_header(row):
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _add_table(document, table):
    document.add_heading(table.caption, level=2)
    columns = [table.first_column, *table.columns]
    rows = [[row.label, *row.values] for row in table.rows]
    if table.total is not None:
        rows.append(["Total", *table.total])
    word_table = document.add_table(rows=1 + len(rows), cols=len(columns))
    word_table.style = document.styles[TABLE_STYLE]
    word_table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _repeat_header(word_table.rows[0])
    for number, values in enumerate([columns, *rows]):
        bold = number == 0 or (table.total is not None and number == len(rows))
        for column, value in enumerate(values):
            cell = word_table.cell(number, column)
            paragraph = cell.paragraphs[0]
            run = paragraph.add_run(_text(value))
            run.bold = bold
            run.font.size = Pt(9.5)
            if column > 0:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.add_paragraph()
    return word_table


def _add_chart(document, title, items, *, percent=False):
    png = bar_chart_png(title, items, percent=percent)
    document.add_paragraph().add_run().add_picture(io.BytesIO(png), width=CHART_WIDTH)
    picture = document.inline_shapes[-1]
    shown = ", ".join(
        f"{label} : {'non calculable' if value is None else _chart_value(value, percent)}"
        for label, value in items
    )
    picture._inline.docPr.set("descr", f"{title}. {shown}.")
    picture._inline.docPr.set("title", title)
    caption = document.add_paragraph(f"Graphique : {title}", style="Caption")
    caption.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _chart_value(value, percent):
    return presentation.percent(value) if percent else presentation.french_number(value)


def _narrative(document, heading):
    document.add_heading(heading, level=1)
    paragraph = document.add_paragraph(L.NARRATIVE_PLACEHOLDER)
    paragraph.runs[0].italic = True
    paragraph.runs[0].font.color.rgb = RGBColor(0x59, 0x59, 0x59)


def _monthly_occupancy(report, facts, charts):
    if charts is not None:
        return [(label, rate) for label, rate in charts["occupancy"]]
    start = datetime.date.fromisoformat(report["period"]["start"])
    end = datetime.date.fromisoformat(report["period"]["end"])
    if facts is None:
        from ..facts import load_facts

        facts = load_facts(
            report["scope"]["organisation"], report["scope"]["programmes"], start, end
        )
    return presentation.monthly_occupancy(facts, start, end)


def render_docx(report, *, facts=None, charts=None):
    """The Word document of the report, as bytes."""
    monthly = charts
    labels = L.build_labels(report)
    tables = L.build_tables(report, labels)
    name = L.organisation_name(report)

    document = Document()
    _set_language(document)
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2))
    document.core_properties.title = L.document_title(report, name)
    document.core_properties.author = name

    document.add_heading("Rapport d'activité", level=0)
    intro = document.add_paragraph()
    intro.add_run(name).bold = True
    intro.add_run(f"\nPériode {L.period_label(report)}\n{L.scope_label(report)}")
    document.add_paragraph(
        f"Document produit par Seuil le {datetime.date.today():%d/%m/%Y}. Les chiffres "
        "viennent des données saisies ; les parties marquées "
        f"« {L.NARRATIVE_PLACEHOLDER} » sont à rédiger."
    )
    _narrative(document, L.NARRATIVE_SECTIONS[0])

    for heading, keys, charts in L.DOCX_SECTIONS:
        document.add_heading(heading, level=1)
        if heading == "Parc de logements":
            occupancy = presentation.percent(report["housing"]["occupancy_rate"])
            document.add_paragraph(f"Taux d'occupation sur la période : {occupancy}.")
        for key in keys:
            if key in tables:
                _add_table(document, tables[key])
        for key in charts:
            if key == "occupancy":
                _add_chart(
                    document,
                    "Taux d'occupation du parc par mois",
                    _monthly_occupancy(report, facts, monthly),
                    percent=True,
                )
            elif key in tables:
                table = tables[key]
                items = [(row.label, row.values[0]) for row in table.rows]
                _add_chart(document, table.caption, items)

    if report.get("orientation") is not None:
        document.add_heading("Orientation", level=1)
        for table in presentation.orientation_tables(report["orientation"]):
            _add_table(document, table)

    if report.get("tenancy") is not None:
        document.add_heading("Gestion locative", level=1)
        for key in ("tenancy_figures", "tenancy_arrears", "tenancy_inspections"):
            _add_table(document, tables[key])
    if report.get("support") is not None:
        document.add_heading("Accompagnement", level=1)
        for table in presentation.support_tables(report["support"]):
            _add_table(document, table)

    if report.get("outcomes") is not None:
        document.add_heading("Après la sortie", level=1)
        for table in presentation.outcomes_tables(report["outcomes"]):
            _add_table(document, table)

    for heading in L.NARRATIVE_SECTIONS[1:]:
        _narrative(document, heading)

    document.add_heading("Annexe : contrôles de cohérence du rapport", level=1)
    checks = presentation.Table(
        "controles",
        "Contrôles que le rapport fait sur lui-même",
        ["Résultat"],
        [
            presentation.Row(L.check_label(check["name"]), [L.CHECK_STATUS[bool(check["ok"])]])
            for check in report["checks"]
        ],
        first_column="Contrôle",
    )
    _add_table(document, checks)

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
