"""The meeting briefing on paper: an A4 PDF built with ReportLab, every chart drawn as vectors.

Page 1 is the summary an executive keeps: who generated it and when, the overall and perspective
scores with status and their change since the previous period, the KPIs whose status changed and
one line for each red KPI. Then the scorecard (one block per perspective, never split across a
page break), the strategy map (dashed links where the data do not support them), each red KPI
with its history against target and the period's comments, and the Six Sigma projects (phases and
statuses in words, overruns flagged). Sections flow on from one another, so no page is left mostly
blank. Numbers are written by :mod:`scorecard.numbers`.

In Persian (``Briefing.language == "fa"``, headings translated by the ``tr`` callable the UI passes,
as the figure builders of :mod:`scorecard.charts` take it) the text is shaped with arabic-reshaper and
put in visual order with python-bidi (ReportLab draws glyphs left to right and does not shape), lines
are wrapped before reordering, paragraphs and tables are right-aligned with their columns in
right-to-left order, numbers use Persian digits and months are named in the Jalali calendar.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import arabic_reshaper
import jdatetime
import numpy as np
import pandas as pd
from bidi.algorithm import get_display  # the pure-Python algorithm: it mirrors brackets, bidi.get_display does not
from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing, Line, Polygon, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (CondPageBreak, KeepTogether, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table,
                                TableStyle)

from scorecard.charts import LINE, TARGET, link_style, node_positions, status_color
from scorecard.numbers import LATIN_TO_PERSIAN, format_score, format_value
from scorecard.periods import JALALI_MONTHS_FA, jalali_label
from scorecard.view import kpi_history

Translate = Callable[[str], str]
FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/TTF"))
PAGE_WIDTH = A4[0] - 3 * cm
SCORECARD_COLUMNS = ("Status", "Scorecard item", "Actual", "Target", "Variance", "Score")
PROJECT_COLUMNS = {"title": "Project", "kind": "Kind", "phase": "Phase", "status": "Status",
                   "next_tollgate": "Next tollgate", "expected_benefit": "Expected", "verified_benefit": "Verified"}


@dataclass
class Briefing:
    """What the briefing shows.

    ``report``: :func:`scorecard.view.scorecard_report`'s rows (level … score, variance, unit).
    ``objectives`` (id, name, perspective, status) and ``links`` (cause_id, effect_id,
    optional supported) draw the strategy map in ``perspectives`` order. ``histories``: each
    red KPI's monthly actuals (name → Series indexed by "YYYY-MM"); ``comments``: KPI name →
    the period's comments; ``projects``: the columns of :data:`PROJECT_COLUMNS` (and ``overrun``).
    ``previous``: the previous period's report (named ``previous_label``), for what changed;
    ``generated_by`` and ``generated_at``: who made the briefing and when (printed on page 1);
    ``language``: "en" or "fa" (right to left; names and labels are passed already in that language).
    """

    title: str
    subtitle: str
    report: pd.DataFrame
    objectives: pd.DataFrame
    links: pd.DataFrame
    perspectives: list[str]
    histories: dict[str, pd.Series] = field(default_factory=dict)
    comments: dict[str, list[str]] = field(default_factory=dict)
    projects: pd.DataFrame | None = None
    previous: pd.DataFrame | None = None
    previous_label: str = ""
    generated_by: str = ""
    generated_at: datetime | None = None
    language: str = "en"


def project_rows(portfolio: pd.DataFrame, as_of: date | None = None) -> pd.DataFrame:
    """The portfolio as the briefings list it: kind, phase and status in words, the next tollgate (an active
    project's open phase), benefits, and ``overrun``: still active after its planned end (on ``as_of``)."""
    active = portfolio["status"] == "active"
    planned = pd.to_datetime(portfolio.get("planned_end"), errors="coerce") if "planned_end" in portfolio else None
    overrun = (active & (planned < pd.Timestamp(as_of))).fillna(False) if as_of is not None and planned is not None \
        else pd.Series(False, index=portfolio.index)
    words = lambda column: portfolio[column].astype(str).str.replace("_", " ").str.capitalize()  # noqa: E731
    return portfolio.assign(next_tollgate=words("phase").where(active, "—"), phase=words("phase"),
                            status=words("status"), kind=portfolio["kind"].str.upper(), overrun=overrun.astype(bool))


def red_histories(report: pd.DataFrame, measurements: pd.DataFrame, segment: str, until: str,
                  months: int = 24) -> dict[str, pd.Series]:
    """Each red KPI's last ``months`` monthly actuals up to the month ``until``, by KPI name."""
    red = report[(report["level"] == "kpi") & (report["status"] == "red")]
    histories = {}
    for _, row in red.iterrows():
        history = kpi_history(measurements, int(row["kpi_id"]), segment)
        history = history[history.index <= pd.Period(until, "M")].tail(months)
        histories[row["name"]] = history.set_axis(history.index.strftime("%Y-%m"))
    return histories


def comment_notes(report: pd.DataFrame, comments: pd.DataFrame) -> dict[str, list[str]]:
    """Comments (kpi_id, text, author) as "text (author)" lines by KPI name."""
    names = dict(zip(report["kpi_id"], report["name"]))
    notes: dict[str, list[str]] = {}
    for _, row in comments.iterrows():
        notes.setdefault(names.get(row["kpi_id"], ""), []).append(f"{row['text']} ({row['author']})")
    return notes


def objective_rows(objectives: pd.DataFrame, report: pd.DataFrame) -> pd.DataFrame:
    """Objectives (id, name, perspective) with their status in the report ("none" when unscored)."""
    scored = report[report["level"] == "objective"].set_index("name")["status"]
    return objectives.assign(status=objectives["name"].map(scored).fillna("none"))


def persian_names(report: pd.DataFrame, overall: str) -> pd.DataFrame:
    """Report rows named in Persian (``perspective_fa``, ``objective_fa``, ``kpi_fa`` where given; the overall
    row ``overall``), their perspective too, for the Persian briefing."""
    names = report["name"].copy()
    for level in ("perspective", "objective", "kpi"):
        column = f"{level}_fa"
        if column in report:
            known = (report["level"] == level) & report[column].notna() & (report[column].astype(str) != "")
            names[known] = report.loc[known, column]
    names[report["level"] == "overall"] = overall
    perspective = report["perspective"]
    if "perspective_fa" in report:
        perspective = report["perspective_fa"].where(report["perspective_fa"].notna(), perspective)
    return report.assign(name=names, perspective=perspective)


def persian_map(objectives: pd.DataFrame, perspectives: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Objectives (name, name_fa, perspective) and perspectives (name, name_fa) named in Persian for the strategy
    map: the objectives and the perspective names in order."""
    fa = perspectives.set_index("name")["name_fa"].dropna()
    renamed = objectives.assign(name=objectives["name_fa"].where(objectives["name_fa"].notna(), objectives["name"]),
                                perspective=objectives["perspective"].map(fa).fillna(objectives["perspective"]))
    return renamed, [fa.get(name, name) for name in perspectives["name"]]


def _fonts() -> tuple[str, str]:
    """DejaVu Sans (it has the real minus sign and ‰) when installed, else ReportLab's Helvetica."""
    for folder in FONT_DIRS:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.exists() and bold.exists():
            if "DejaVuSans" not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(TTFont("DejaVuSans", str(regular)))
                pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", str(bold)))
            return "DejaVuSans", "DejaVuSans-Bold"
    return "Helvetica", "Helvetica-Bold"


def _styles(regular: str, bold: str, rtl: bool = False) -> dict[str, ParagraphStyle]:
    base, align = getSampleStyleSheet(), 2 if rtl else 0
    return {"title": ParagraphStyle("title", base["Title"], fontName=bold, fontSize=18, alignment=align),
            "h2": ParagraphStyle("h2", base["Heading2"], fontName=bold, fontSize=13, spaceBefore=8, alignment=align),
            "h3": ParagraphStyle("h3", base["Heading3"], fontName=bold, fontSize=11, alignment=align),
            "body": ParagraphStyle("body", base["BodyText"], fontName=regular, fontSize=9, leading=11.5,
                                   alignment=align),
            "cell": ParagraphStyle("cell", base["BodyText"], fontName=regular, fontSize=8, leading=10, alignment=align)}


def _text(value: object) -> str:
    """Text safe inside a ReportLab paragraph."""
    return str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _identity(text: str) -> str:
    return text


def visual(text: str) -> str:
    """Persian text as ReportLab must draw it: letters in their joined forms, the line in visual (left-to-right) order."""
    shaped = arabic_reshaper.reshape(str(text)).replace("\u200c", "")
    return get_display(shaped, base_dir="R").replace("\u200e", "").replace("\u200f", "")


@dataclass(frozen=True)
class _Writer:
    """How the briefing writes: the language, its translations and the fonts."""

    language: str = "en"
    tr: Translate = _identity
    regular: str = "Helvetica"
    bold: str = "Helvetica-Bold"

    @property
    def rtl(self) -> bool:
        return self.language == "fa"

    @property
    def separator(self) -> str:
        """Between items on one line: a middle dot reads as the Persian zero (۰), so Persian takes a comma."""
        return "، " if self.rtl else " · "

    def show(self, text: object) -> str:
        """Plain text for a table cell or a drawing (shaped and reordered in Persian)."""
        return visual(str(text)) if self.rtl else str(text)

    def number(self, value: object, unit: object, change: bool = False) -> str:
        unit = unit if isinstance(unit, str) else ""
        if value is None or pd.isna(value):
            return ""
        return self.show(format_value(float(value), unit, signed=change, change=change, language=self.language))

    def score(self, value: object) -> str:
        return self.show(format_score(value, language=self.language))

    def month(self, month: str) -> str:
        """A "YYYY-MM" month label (its Jalali month in Persian)."""
        return self.show(_digits(jalali_label(month, "fa"))) if self.rtl else month

    def para(self, text: object, style: ParagraphStyle, width: float = PAGE_WIDTH) -> Paragraph:
        """A paragraph of plain text; in Persian wrapped to ``width`` first, then each line reordered."""
        if not self.rtl:
            return Paragraph(_text(text), style)
        lines: list[str] = [""]
        width -= style.leftIndent + style.rightIndent
        for word in str(text).split():
            trial = f"{lines[-1]} {word}".strip()
            if lines[-1] and pdfmetrics.stringWidth(visual(trial), style.fontName, style.fontSize) > width:
                lines.append(word)
            else:
                lines[-1] = trial
        return Paragraph("<br/>".join(_text(visual(line)) for line in lines), style)


def _digits(text: str) -> str:
    return text.translate(LATIN_TO_PERSIAN)


def _mirror(data: list[list], widths: list[float], style: list[tuple]) -> tuple[list[list], list[float], list[tuple]]:
    """A table's rows, widths and style with its columns in right-to-left order, every cell right-aligned."""
    n = len(widths)

    def flip(column: int) -> int:
        return n - 1 - (column % n)

    mirrored = []
    for name, (c0, r0), (c1, r1), *rest in style:
        low, high = sorted((flip(c0), flip(c1)))
        mirrored.append((name, (low, r0), (high, r1), *rest))
    mirrored.append(("ALIGN", (0, 0), (-1, -1), "RIGHT"))
    return [row[::-1] for row in data], widths[::-1], mirrored


def _table(data: list[list], widths: list[float], style: list[tuple], w: _Writer, **options) -> Table:
    if w.rtl:
        data, widths, style = _mirror(data, widths, style)
    table = Table(data, colWidths=widths, **options)
    table.setStyle(TableStyle(style))
    return table


def _scorecard_block(rows: pd.DataFrame, styles: dict, w: _Writer) -> KeepTogether:
    """One perspective's rows as a table that a page break never splits."""
    cell, tr = styles["cell"], w.tr
    widths = [1.6 * cm, 7.2 * cm, 2.3 * cm, 2.3 * cm, 2.4 * cm, 1.2 * cm]
    data = [[w.show(tr(label)) for label in SCORECARD_COLUMNS]]
    for _, row in rows.iterrows():
        indent = {"objective": 8, "kpi": 16}.get(row["level"], 0)
        item = ParagraphStyle("item", cell, fontName=cell.fontName if row["level"] == "kpi" else w.bold,
                              **({"rightIndent": indent} if w.rtl else {"leftIndent": indent}))
        data.append([w.show(tr(row["status"])), w.para(row["name"], item, widths[1] - 12),
                     w.number(row["actual"], row.get("unit")), w.number(row["target"], row.get("unit")),
                     w.number(row.get("variance"), row.get("unit"), change=True), w.score(row["score"])])
    style = [("FONTNAME", (0, 0), (-1, -1), cell.fontName), ("FONTSIZE", (0, 0), (-1, -1), 8),
             ("FONTNAME", (0, 0), (-1, 0), w.bold), ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f3f6fa")),
             ("ALIGN", (2, 0), (-1, -1), "RIGHT"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
             ("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.HexColor("#dde3ea")),
             ("TEXTCOLOR", (0, 1), (0, -1), colors.white), ("FONTNAME", (0, 1), (0, -1), w.bold)]
    for index, status in enumerate(rows["status"], start=1):
        style.append(("BACKGROUND", (0, index), (0, index), colors.HexColor(status_color(status))))
    return KeepTogether([_table(data, widths, style, w, repeatRows=1), Spacer(1, 0.35 * cm)])


def _scorecard(report: pd.DataFrame, styles: dict, w: _Writer) -> list:
    overall = report[report["level"] == "overall"]
    tr = w.tr
    story = [w.para(tr("Scorecard"), styles["h2"])]
    if len(overall):
        story.append(w.para(tr("Overall score {score} ({status})").format(
            score=format_score(overall["score"].iloc[0], w.language), status=tr(overall["status"].iloc[0])),
            styles["body"]))
        story.append(Spacer(1, 0.2 * cm))
    body = report[report["level"] != "overall"]
    for _, rows in body.groupby(body["perspective"], sort=False):
        story.append(_scorecard_block(rows, styles, w))
    return story


def _scores(report: pd.DataFrame | None) -> dict[str, tuple[float, str]]:
    """(score, status) of the overall and each perspective row, by name."""
    if report is None or report.empty:
        return {}
    rows = report[report["level"].isin(["overall", "perspective"])]
    return {name: (score, status) for name, score, status in zip(rows["name"], rows["score"], rows["status"])}


def status_changes(report: pd.DataFrame, previous: pd.DataFrame | None) -> list[tuple[str, str, str]]:
    """(KPI, status before, status now) for each KPI whose status differs from the previous period's."""
    if previous is None or previous.empty:
        return []
    before = previous[previous["level"] == "kpi"].set_index("name")["status"]
    now = report[report["level"] == "kpi"]
    return [(name, before[name], status) for name, status in zip(now["name"], now["status"])
            if name in before.index and before[name] != status]


def _summary(briefing: Briefing, styles: dict, w: _Writer) -> list:
    """Page 1: scores with status and change, what changed, the red KPIs in one line each."""
    body, cell, tr = styles["body"], styles["cell"], w.tr
    now, before = _scores(briefing.report), _scores(briefing.previous)
    since = briefing.previous_label or tr("previous period")
    widths = [7.2 * cm, 1.6 * cm, 1.8 * cm, 5.4 * cm]
    data = [["", w.show(tr("Score")), w.show(tr("Status")),
             w.para(tr("Change since {period}").format(period=since), ParagraphStyle("head", cell, fontName=w.bold),
                    widths[3] - 12)]]
    for name, (score, status) in now.items():
        change = ""
        if name in before and pd.notna(score) and pd.notna(before[name][0]):
            change = tr("{change} points").format(change=format_value(
                score - before[name][0], decimals=0, signed=True, language=w.language))
            if before[name][1] != status:
                change += " " + tr("(was {status})").format(status=tr(before[name][1]))
        data.append([w.para(name, cell, widths[0] - 12), w.score(score), w.show(tr(status)), w.show(change)])
    style = [("FONTNAME", (0, 0), (-1, -1), cell.fontName), ("FONTSIZE", (0, 0), (-1, -1), 8.5),
             ("FONTNAME", (0, 0), (-1, 0), w.bold), ("FONTNAME", (0, 1), (-1, 1), w.bold),
             ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f3f6fa")), ("ALIGN", (1, 0), (1, -1), "RIGHT"),
             ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.HexColor("#dde3ea")),
             ("TEXTCOLOR", (2, 1), (2, -1), colors.white), ("FONTNAME", (2, 1), (2, -1), w.bold)]
    for index, (_, status) in enumerate(now.values(), start=1):
        style.append(("BACKGROUND", (2, index), (2, index), colors.HexColor(status_color(status))))
    story = [w.para(tr("Summary"), styles["h2"]), _table(data, widths, style, w),
             w.para(tr("What changed since {period}").format(period=since), styles["h3"])]
    changes = status_changes(briefing.report, briefing.previous)
    if briefing.previous is None or briefing.previous.empty:
        story.append(w.para(tr("No previous period to compare with."), body))
    elif not changes:
        story.append(w.para(tr("No KPI changed status."), body))
    story += [w.para(f"• {name}: {tr(old)} → {tr(new)}" if not w.rtl else f"• {name}: {tr(old)} ← {tr(new)}", body)
              for name, old, new in changes]
    red = briefing.report[(briefing.report["level"] == "kpi") & (briefing.report["status"] == "red")]
    story.append(w.para(tr("Red KPIs ({count})").format(count=format_score(len(red), w.language)), styles["h3"]))
    if red.empty:
        story.append(w.para(tr("No KPI is red this period."), body))
    for _, row in red.iterrows():
        unit = row.get("unit") if isinstance(row.get("unit"), str) else ""
        owner = f"{w.separator}{row['owner']}" if isinstance(row.get("owner"), str) and row["owner"] else ""
        line = tr("{name}: {actual} against {target} ({variance})").format(
            name=row["name"], actual=_plain(row["actual"], unit, w), target=_plain(row["target"], unit, w),
            variance=_plain(row.get("variance"), unit, w, change=True))
        if w.rtl:
            story.append(w.para(f"• {line}{owner}", body))
        else:  # the KPI's name in bold
            name = _text(row["name"])
            story.append(Paragraph(f"• <font name=\"{w.bold}\">{name}</font>{_text(line[len(row['name']):] + owner)}",
                                   body))
    return story


def _plain(value: object, unit: str, w: _Writer, change: bool = False) -> str:
    """A number in logical order (for a sentence that is reordered as a whole)."""
    if value is None or pd.isna(value):
        return ""
    return format_value(float(value), unit, signed=change, change=change, language=w.language)


def generated_line(briefing: Briefing, tr: Translate = _identity) -> str:
    """"Generated on 5 December 2026 at 18:30 UTC by Sara Ahmadi" (the parts known; the Jalali date in Persian)."""
    parts = [tr("Generated")]
    if briefing.generated_at is not None:
        when = briefing.generated_at
        if briefing.language == "fa":
            day = jdatetime.date.fromgregorian(date=when.date())
            parts.append(tr("on {date} at {time}").format(
                date=_digits(f"{day.day} {JALALI_MONTHS_FA[day.month - 1]} {day.year}"),
                time=_digits(f"{when:%H:%M}") + (f" {when.tzname()}" if when.tzname() else "")))
        else:
            parts.append(f"on {when.day} {when:%B %Y} at {when:%H:%M} {when.tzname() or ''}".rstrip())
    if briefing.generated_by:
        parts.append(tr("by {name}").format(name=briefing.generated_by))
    return " ".join(parts) if len(parts) > 1 else ""


def strategy_map_drawing(objectives: pd.DataFrame, links: pd.DataFrame, perspectives: list[str],
                         font: str = "Helvetica", width: float = PAGE_WIDTH, rtl: bool = False) -> Drawing:
    """The strategy map as a vector drawing: rows by perspective, boxes in status colours, cause → effect arrows.

    ``rtl``: Persian names (shaped here), perspective labels on the right and objectives placed right to left.
    """
    show = visual if rtl else str
    positions, rows = node_positions(objectives, perspectives)
    label_width, row_height, box_w, box_h = 3.4 * cm, 3.0 * cm, 3.2 * cm, 1.5 * cm
    height = row_height * max(len(rows), 1)
    drawing = Drawing(width, height)

    def place(xy: tuple[float, float]) -> tuple[float, float]:
        if rtl:
            return (1 - xy[0]) * (width - label_width), (xy[1] + 0.5) * row_height
        return label_width + xy[0] * (width - label_width), (xy[1] + 0.5) * row_height

    for level, name in enumerate(rows):
        y = (len(rows) - 1 - level + 0.5) * row_height
        line_x = (0, width - label_width) if rtl else (label_width, width)
        drawing.add(Line(line_x[0], y, line_x[1], y, strokeColor=colors.HexColor("#e6eaef"), strokeWidth=0.5))
        drawing.add(String(width if rtl else 0, y - 3, show(name[:28]), fontName=font, fontSize=8,
                           fillColor=colors.HexColor("#5f6368"), textAnchor="end" if rtl else "start"))
    for link in links.to_dict("records"):
        if link["cause_id"] in positions and link["effect_id"] in positions:
            _arrow(drawing, place(positions[link["cause_id"]]), place(positions[link["effect_id"]]),
                   link.get("supported"), box_w / 2, box_h / 2)
    for objective in objectives.to_dict("records"):
        x, y = place(positions[objective["id"]])
        drawing.add(Rect(x - box_w / 2, y - box_h / 2, box_w, box_h, rx=3, ry=3, strokeColor=colors.white,
                         fillColor=colors.HexColor(status_color(objective["status"]))))
        words, lines = str(objective["name"]).split(), [""]
        for word in words:
            lines[-1:] = [f"{lines[-1]} {word}".strip()] if len(f"{lines[-1]} {word}") <= 22 else [lines[-1], word]
        for index, line in enumerate(lines[:3]):
            drawing.add(String(x, y + 4 - index * 9 + (len(lines[:3]) - 1) * 4.5 - 4, show(line), fontName=font,
                               fontSize=7.5,
                               fillColor=colors.white, textAnchor="middle"))
    return drawing


def strategy_map_svg(objectives: pd.DataFrame, links: pd.DataFrame, perspectives: list[str]) -> str:
    """The strategy map drawing as inline SVG markup (for the HTML briefing: a few kB, no JavaScript)."""
    from reportlab.graphics import renderSVG

    markup = renderSVG.drawToString(strategy_map_drawing(objectives, links, perspectives, _fonts()[0]))
    return markup[markup.index("<svg"):]


def _arrow(drawing: Drawing, start: tuple[float, float], end: tuple[float, float], supported, half_w: float,
           half_h: float) -> None:
    """A line from box edge to box edge with an arrowhead at the effect; dashed when the data do not support it."""
    color, dash = link_style(supported)
    (x0, y0), (x1, y1) = start, end
    dx, dy = x1 - x0, y1 - y0
    inside = min(half_w / abs(dx) if dx else np.inf, half_h / abs(dy) if dy else np.inf, 0.45)
    tail = (x0 + inside * dx, y0 + inside * dy)
    head = (x1 - inside * dx, y1 - inside * dy)
    drawing.add(Line(*tail, *head, strokeColor=colors.HexColor(color), strokeWidth=1.2,
                     strokeDashArray=[4, 3] if dash == "dash" else None))
    length = float(np.hypot(dx, dy)) or 1.0
    ux, uy = dx / length, dy / length
    left = (head[0] - 7 * ux + 3 * uy, head[1] - 7 * uy - 3 * ux)
    right = (head[0] - 7 * ux - 3 * uy, head[1] - 7 * uy + 3 * ux)
    drawing.add(Polygon([*head, *left, *right], fillColor=colors.HexColor(color), strokeColor=None))


def history_drawing(history: pd.Series, target: float | None, unit: str = "", font: str = "Helvetica",
                    width: float = PAGE_WIDTH, height: float = 5 * cm, language: str = "en") -> Drawing:
    """A KPI's monthly actuals (and its target as a dotted line) as a vector line chart.

    In Persian the axis labels are Persian numbers and Jalali months (time still runs left to right).
    """
    w = _Writer(language)
    values = history.to_numpy(dtype=float)
    drawing = Drawing(width, height)
    plot = LinePlot()
    plot.x, plot.y, plot.width, plot.height = 1.8 * cm, 0.9 * cm, width - 2.2 * cm, height - 1.3 * cm
    series = [list(enumerate(values))]
    if target is not None and np.isfinite(target):
        series.append([(0, target), (len(values) - 1, target)])
    plot.data = series
    plot.lines[0].strokeColor, plot.lines[0].strokeWidth = colors.HexColor(LINE), 1.5
    if len(series) > 1:
        plot.lines[1].strokeColor, plot.lines[1].strokeDashArray = colors.HexColor(TARGET), [2, 2]
    low, high = float(np.nanmin([*values, target or np.nan])), float(np.nanmax([*values, target or np.nan]))
    plot.yValueAxis.valueMin, plot.yValueAxis.valueMax = low - 0.05 * (high - low or 1), high + 0.05 * (high - low or 1)
    plot.yValueAxis.labelTextFormat = lambda v: w.show(format_value(v, unit, language=language))
    plot.yValueAxis.labels.fontName = plot.xValueAxis.labels.fontName = font
    plot.yValueAxis.labels.fontSize = plot.xValueAxis.labels.fontSize = 7
    labels = [w.month(str(p)) for p in history.index]
    step = max(1, len(labels) // 6)
    plot.xValueAxis.valueSteps = list(range(0, len(labels), step))
    plot.xValueAxis.labelTextFormat = lambda i: labels[int(i)] if 0 <= int(i) < len(labels) else ""
    drawing.add(plot)
    return drawing


def _red_kpis(briefing: Briefing, styles: dict, w: _Writer) -> list:
    red = briefing.report[(briefing.report["level"] == "kpi") & (briefing.report["status"] == "red")]
    body, tr = styles["body"], w.tr
    story = [w.para(tr("Red KPIs"), styles["h2"])]
    if red.empty:
        story.append(w.para(tr("No KPI is red this period."), body))
    for _, row in red.iterrows():
        unit = row.get("unit") if isinstance(row.get("unit"), str) else ""
        block = [w.para(f"{row['name']}{w.separator}{row['perspective']}", styles["h3"]),
                 w.para(tr("Actual {actual} against target {target} (dotted line): {variance}.").format(
                     actual=_plain(row["actual"], unit, w), target=_plain(row["target"], unit, w),
                     variance=_plain(row.get("variance"), unit, w, change=True)), body)]
        history = briefing.histories.get(row["name"])
        if history is not None and len(history) > 1:
            block.append(history_drawing(history, float(row["target"]) if pd.notna(row["target"]) else None, unit,
                                         w.regular, language=w.language))
        notes = briefing.comments.get(row["name"], [])
        block += [w.para(f"• {note}", body) for note in notes] or [w.para(tr("No comments for this period."), body)]
        story.append(KeepTogether(block + [Spacer(1, 0.3 * cm)]))
    return story


def _projects(projects: pd.DataFrame, styles: dict, w: _Writer) -> list:
    cell, tr = styles["cell"], w.tr
    widths = [5.4 * cm, 1.4 * cm, 1.9 * cm, 2.6 * cm, 2.2 * cm, 1.9 * cm, 1.9 * cm]
    if w.rtl:  # "۱۶۵٫۰ هزار دلار" is wider than "$165.0k"
        widths = [4.6 * cm, 1.4 * cm, 1.9 * cm, 2.6 * cm, 2.2 * cm, 2.3 * cm, 2.3 * cm]
    head = ParagraphStyle("head", cell, fontName=w.bold)
    numbers = ParagraphStyle("head_n", head, alignment=2)
    data = [[w.para(tr(label), numbers if key.endswith("_benefit") else head, width - 12)
             for (key, label), width in zip(PROJECT_COLUMNS.items(), widths)]]
    overruns = []
    for _, row in projects.iterrows():
        status = tr(str(row["status"]))
        if bool(row.get("overrun", False)):
            status += " — " + tr("overrun")
            overruns.append(len(data))
        data.append([w.para(row["title"], cell, widths[0] - 12), w.show(tr(str(row["kind"]))),
                     w.para(tr(str(row["phase"])), cell, widths[2] - 12), w.para(status, cell, widths[3] - 12),
                     w.para(tr(str(row["next_tollgate"])), cell, widths[4] - 12),
                     *(w.number(row[c], "$k") for c in ("expected_benefit", "verified_benefit"))])
    style = [("FONTNAME", (0, 0), (-1, -1), cell.fontName), ("FONTSIZE", (0, 0), (-1, -1), 8),
             ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f3f6fa")),
             ("ALIGN", (5, 0), (-1, -1), "RIGHT"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
             ("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.HexColor("#dde3ea"))]
    style += [("BACKGROUND", (3, index), (3, index), colors.HexColor("#fde2e1")) for index in overruns]
    story = [w.para(tr("Six Sigma projects"), styles["h2"]), _table(data, widths, style, w, repeatRows=1)]
    if overruns:
        story.append(w.para(tr("Overrun: still active after its planned end."), styles["body"]))
    return story


def briefing_pdf(briefing: Briefing, tr: Translate = _identity) -> bytes:
    """The briefing as PDF bytes (A4 portrait), in ``briefing.language``; ``tr`` translates its labels."""
    regular, bold = _fonts()
    w = _Writer(briefing.language, tr, regular, bold)
    styles = _styles(regular, bold, w.rtl)
    generated = generated_line(briefing, tr)
    story = [w.para(briefing.title, styles["title"]), w.para(briefing.subtitle, styles["body"]),
             *([w.para(generated, styles["body"])] if generated else []),
             *_summary(briefing, styles, w), PageBreak(), *_scorecard(briefing.report, styles, w),
             CondPageBreak(12 * cm), w.para(tr("Strategy map"), styles["h2"]),
             strategy_map_drawing(briefing.objectives, briefing.links, briefing.perspectives, regular, rtl=w.rtl),
             w.para(tr("Solid arrows: the data support the link; dashed: they do not (yet)."), styles["body"]),
             *_red_kpis(briefing, styles, w)]
    if briefing.projects is not None and len(briefing.projects):
        story += [CondPageBreak(6 * cm), *_projects(briefing.projects, styles, w)]
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=1.5 * cm, rightMargin=1.5 * cm, topMargin=1.5 * cm,
                                 bottomMargin=1.5 * cm, title=briefing.title, author=briefing.generated_by or
                                 "CRM strategy dashboard")
    footer = _footer(w, w.separator.join(part for part in (briefing.subtitle, generated) if part))
    document.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


PROJECT_REPORT_LABELS = ("Charter", "Evidence by phase", "Tollgate decisions", "The KPI, month by month",
                         "Phase", "Decision", "By", "When", "Reason", "Nothing saved in this phase.",
                         "No tollgate decided yet.", "page {number}")
"""The fixed headings of :func:`project_report_pdf`: the caller translates these (everything else arrives
already in the report's language)."""


@dataclass
class ProjectReport:
    """A project's tollgate review, every text already in ``language``.

    ``charter``: (field, text) pairs; ``phases``: each phase's name with its evidence lines (the tools
    saved and what they found); ``decisions``: rows of phase, decision, by, when, reason; ``history``: the
    KPI's monthly actuals indexed by "YYYY-MM" (its target a dotted line; ``change_month`` named below it);
    ``benefit``: the verified benefit in a sentence ("" before closure); ``generated_by`` and ``generated_at``:
    who made the report and when, as the reader writes a moment.
    """

    title: str
    subtitle: str
    charter: list[tuple[str, str]]
    phases: list[tuple[str, list[str]]]
    decisions: list[list[str]]
    history: pd.Series | None = None
    target: float | None = None
    unit: str = ""
    history_caption: str = ""
    benefit: str = ""
    generated_by: str = ""
    generated_at: str = ""
    language: str = "en"


def _charter(report: ProjectReport, styles: dict, w: _Writer) -> list:
    story = [w.para(w.tr("Charter"), styles["h2"])]
    for field_name, text in report.charter:
        story.append(w.para(f"{field_name}: {text}", styles["body"]))
    return story


def _evidence(report: ProjectReport, styles: dict, w: _Writer) -> list:
    story = [w.para(w.tr("Evidence by phase"), styles["h2"])]
    for phase, lines in report.phases:
        block = [w.para(phase, styles["h3"])]
        block += [w.para(f"• {line}", styles["body"]) for line in lines] or [
            w.para(w.tr("Nothing saved in this phase."), styles["body"])]
        story.append(KeepTogether(block))
    return story


def _decisions(report: ProjectReport, styles: dict, w: _Writer) -> list:
    story = [w.para(w.tr("Tollgate decisions"), styles["h2"])]
    if not report.decisions:
        return story + [w.para(w.tr("No tollgate decided yet."), styles["body"])]
    cell = styles["cell"]
    widths = [2.4 * cm, 2.2 * cm, 3.6 * cm, 2.8 * cm, PAGE_WIDTH - 11 * cm]
    head = ParagraphStyle("decision_head", cell, fontName=w.bold)
    data = [[w.para(w.tr(label), head, width - 12) for label, width in
             zip(("Phase", "Decision", "By", "When", "Reason"), widths)]]
    data += [[w.para(value, cell, width - 12) for value, width in zip(row, widths)] for row in report.decisions]
    style = [("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f3f6fa")), ("VALIGN", (0, 0), (-1, -1), "TOP"),
             ("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.HexColor("#dde3ea"))]
    return story + [_table(data, widths, style, w, repeatRows=1)]


def _kpi_chart(report: ProjectReport, styles: dict, w: _Writer) -> list:
    if report.history is None or len(report.history) < 2:
        return []
    return [KeepTogether([w.para(w.tr("The KPI, month by month"), styles["h2"]),
                          history_drawing(report.history, report.target, report.unit, w.regular, language=w.language),
                          w.para(report.history_caption, styles["body"]),
                          *([w.para(report.benefit, styles["body"])] if report.benefit else [])])]


def project_report_pdf(report: ProjectReport, tr: Translate = _identity) -> bytes:
    """A project's report for a tollgate review as PDF bytes (A4 portrait): charter, the KPI's chart and
    verified benefit, the evidence of each phase and the tollgate decisions; ``tr`` translates
    :data:`PROJECT_REPORT_LABELS`."""
    regular, bold = _fonts()
    w = _Writer(report.language, tr, regular, bold)
    styles = _styles(regular, bold, w.rtl)
    generated = w.separator.join(part for part in (report.generated_by, report.generated_at) if part)
    story = [w.para(report.title, styles["title"]), w.para(report.subtitle, styles["body"]),
             *([w.para(generated, styles["body"])] if generated else []),
             *_charter(report, styles, w), *_kpi_chart(report, styles, w), *_evidence(report, styles, w),
             CondPageBreak(5 * cm), *_decisions(report, styles, w)]
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=1.5 * cm, rightMargin=1.5 * cm, topMargin=1.5 * cm,
                                 bottomMargin=1.5 * cm, title=report.title, author=report.generated_by or
                                 "CRM strategy dashboard")
    footer = _footer(w, report.title)
    document.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


def _footer(w: _Writer, subtitle: str):
    def draw(canvas, document) -> None:
        canvas.setFont(w.regular, 7.5)
        canvas.setFillColor(colors.HexColor("#5f6368"))
        tr = w.tr
        page = tr("page {number}").format(number=format_score(document.page, w.language))
        if w.rtl:  # the subtitle on the right, the page number on the left
            canvas.drawRightString(A4[0] - 1.5 * cm, 0.9 * cm, w.show(subtitle))
            canvas.drawString(1.5 * cm, 0.9 * cm, w.show(page))
        else:
            canvas.drawString(1.5 * cm, 0.9 * cm, subtitle)
            canvas.drawRightString(A4[0] - 1.5 * cm, 0.9 * cm, page)
    return draw
