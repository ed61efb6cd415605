"""User text is text (issue #21, point 4): a comment, KPI definition or project text holding markdown is
shown as typed, so ``![b](http://host/beacon.png)`` makes no reader's browser fetch anything; the HTML
briefing escapes it. Expected strings are written by hand from CommonMark's backslash escapes."""

from __future__ import annotations

from sqlalchemy import update

from data.db import make_engine
from data.discussion import add_comment
from data.models import Kpi
from scorecard.io.export import briefing_html
from tests.apptest import kpi_id, ok, start, texts
from ui.core.format import plain

BEACON = "![b](http://host/beacon.png)"
ESCAPED = r"\!\[b\](http\://host/beacon.png)"     # "!", "[", "]" and ":" escaped: no image, no link


def test_plain_escapes_what_would_become_markup_and_keeps_sentences():
    assert plain(BEACON) == ESCAPED
    assert plain("[site](https://x.example) <img src=x> **bold**") == \
        r"\[site\](https\://x.example) \<img src\=x\> \*\*bold\*\*"
    assert plain("see www.evil.example or me@evil.example") == r"see www\.evil.example or me\@evil.example"
    assert plain("- one\n2. two") == "\\- one  \n2\\. two"
    assert plain(":red[alarm] $x$ `code`") == r"\:red\[alarm\] \$x\$ \`code\`"
    assert plain("Revenue dipped after the price change (May), again.") == \
        "Revenue dipped after the price change (May), again."
    assert plain("رضایت\u200cمشتری کم شد.") == "رضایت\u200cمشتری کم شد."
    assert plain(None) == "" and plain(float("nan")) == ""


def _no_beacon(at) -> None:
    bodies = [str(e.value) for e in [*at.markdown, *at.caption]]
    assert not [b for b in bodies if BEACON in b], bodies       # the raw markdown image is never sent
    assert any(ESCAPED in b for b in bodies), bodies             # but the text is shown, escaped


def test_a_comment_and_a_definition_with_an_image_show_as_text(own_url, monkeypatch):
    engine = make_engine(own_url)
    revenue = kpi_id(engine, "Revenue")
    add_comment(engine, "sara", revenue, "2025-01", f"Look {BEACON}")
    with engine.begin() as connection:
        connection.execute(update(Kpi).where(Kpi.id == revenue).values(definition=f"Revenue {BEACON}"))
    at = start(own_url, "screens/kpi_detail.py", monkeypatch, user="sara")
    next(box for box in at.selectbox if str(box.key).startswith("kpi_detail_kpi")).set_value(revenue)
    ok(at.run())
    _no_beacon(at)
    assert f"Revenue {ESCAPED}" in texts(at.markdown)


def test_the_html_briefing_escapes_user_text():
    import pandas as pd
    page = briefing_html("Briefing", "2025-01", pd.DataFrame(columns=["level", "name"]),
                         notes=[f"Revenue: {BEACON}", "<img src=http://host/x.png>"])
    assert "<img" not in page and "&lt;img src=http://host/x.png&gt;" in page
