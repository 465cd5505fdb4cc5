"""``--html report.html``: one self-contained page (no script, nothing fetched: it works offline,
on a phone and on paper).

First a line of counts (returns, ok, with warnings, with errors, unusable) and the totals
(potential, recomputed and claimed reward); then every return with its status by its worst
finding (errors red, warnings amber, ok green, unusable grey), its counts and figures, the reason
an unusable one was not read, and a link to its findings; a chart of the reward against the
potential per return, drawn with HTML boxes so labels wrap instead of being cut off, unusable
and not-yet-assessed returns shown as such; and the findings of each return, the most serious
first. Checked against the agreements register (``check --register``), the returns table gains
a "changed since last round" column and the page lists the authorities in the register with no
return.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from html import escape
from pathlib import Path

from lpsa_xl.check.findings import FileResult
from lpsa_xl.check.overview import Overview, Totals, overview, sorted_findings, totals
from lpsa_xl.display import money, percent
from lpsa_xl.files.safe import write_atomic

__all__ = ["chart_html", "render_html", "write_html"]

#: Background and text colour of each status and severity.
COLOURS = {
    "errors": ("#c0392b", "#fff"),
    "error": ("#c0392b", "#fff"),
    "warnings": ("#f0b429", "#222"),
    "warning": ("#f0b429", "#222"),
    "ok": ("#1e8449", "#fff"),
    "info": ("#d6e4f0", "#1f3b57"),
    "unusable": ("#7f8c8d", "#fff"),
}

_CSS = """
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;
max-width:1200px;padding:1em;color:#222;line-height:1.4}
h1{font-size:1.5em;margin:.2em 0}h2{font-size:1.2em;margin-top:1.6em}
h3{font-size:1.05em;margin:1.2em 0 .4em}
.counts{font-size:1.1em;margin:.4em 0}.counts span{white-space:nowrap;margin-right:1em}
.totals{color:#444}
.wrap{overflow-x:auto;-webkit-overflow-scrolling:touch}
table{border-collapse:collapse;margin:.5em 0;width:100%}
td,th{border:1px solid #ccc;padding:.3em .5em;text-align:left;vertical-align:top}
th{background:#f3f3f3}td.num,th.num{text-align:right;white-space:nowrap}
.badge{display:inline-block;border-radius:.8em;padding:.05em .6em;font-weight:600;
font-size:.9em;white-space:nowrap}
.reason{color:#555;font-size:.92em}
.chart{margin:.5em 0}
.bar-row{display:grid;grid-template-columns:minmax(8em,16em) 1fr;gap:.2em .8em;
align-items:center;padding:.25em 0;border-bottom:1px solid #eee}
.bar-label{overflow-wrap:anywhere}
.track{position:relative;height:1.3em;background:transparent}
.potential{position:absolute;top:0;height:1.3em;background:#d5d8dc}
.reward{position:absolute;top:.3em;height:.7em;background:#229954}
.bar-text{font-size:.85em;color:#333}
.none{background:repeating-linear-gradient(45deg,#eee,#eee 6px,#ddd 6px,#ddd 12px);
height:1.3em}
.legend span{margin-right:1.2em;white-space:nowrap}
.key{display:inline-block;width:.9em;height:.9em;vertical-align:middle;margin-right:.3em}
@media (max-width:600px){.bar-row{grid-template-columns:1fr}body{padding:.5em}
table.findings thead{display:none}table.findings tr{display:block;border:1px solid #ccc;
margin:.3em 0;padding:.2em}table.findings td{display:inline-block;border:none;padding:.1em .3em}
table.findings td.msg{display:block}}
@media print{body{max-width:none}a{color:inherit;text-decoration:none}
tr,.bar-row{break-inside:avoid}.wrap{overflow:visible}}
"""


def _badge(word: str, text: str | None = None) -> str:
    bg, fg = COLOURS[word]
    return (
        f'<span class="badge {word}" style="background:{bg};color:{fg}">'
        f"{escape(text or word)}</span>"
    )


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _counts(t: Totals) -> str:
    s = t.by_status
    parts = [
        f"<span><strong>{_plural(t.returns, 'return')}</strong></span>",
        f"<span>{_badge('ok', str(s['ok']) + ' ok')}</span>",
        f"<span>{_badge('warnings', str(s['warnings']) + ' with warnings')}</span>",
        f"<span>{_badge('errors', str(s['errors']) + ' with errors')}</span>",
        f"<span>{_badge('unusable', str(s['unusable']) + ' unusable')}</span>",
    ]
    return (
        f'<p class="counts" id="counts">{"".join(parts)}</p>'
        f'<p class="totals" id="totals">Total potential <strong>{money(t.potential)}</strong>; '
        f"recomputed reward <strong>{money(t.reward)}</strong>; "
        f"claimed reward <strong>{money(t.claimed)}</strong>; "
        f"{_plural(t.errors, 'error')} and {_plural(t.warnings, 'warning')} in all.</p>"
    )


def _note(row: Overview) -> str:
    if row.result.unusable:
        return f"not read: {row.reason}" if row.reason else "not read"
    if row.result.summary is not None and not row.assessed:
        return "no actual figures yet: the reward is not assessed"
    return ""


def _returns_table(rows: list[Overview], changed: bool = False) -> str:
    """The returns, one a row; ``changed`` (with a register): a column of the figures changed
    since each authority's last recorded round."""
    out = [
        '<div class="wrap"><table id="returns"><thead><tr><th>Status</th><th>Return</th>'
        '<th class="num">Errors</th><th class="num">Warnings</th>'
        '<th class="num">Potential</th><th class="num">Recomputed reward</th>'
        '<th class="num">Claimed reward</th><th class="num">Difference</th>'
        + ("<th>Changed since last round</th>" if changed else "")
        + "</tr></thead><tbody>"
    ]
    for i, row in enumerate(rows):
        name = escape(row.name)
        link = f'<a href="#return-{i}">{name}</a>' if row.result.findings else name
        note = _note(row)
        detail = "" if row.name == row.result.path.name else escape(row.result.path.name)
        detail = f"{detail}: {escape(note)}" if detail and note else detail or escape(note)
        out.append(
            f'<tr class="return {row.status}"><td>{_badge(row.status)}</td>'
            f'<td>{link}<div class="reason">{detail}</div></td>'
            f'<td class="num">{row.errors}</td><td class="num">{row.warnings}</td>'
            f'<td class="num">{money(row.potential, blank="")}</td>'
            f'<td class="num">{money(row.reward, blank="")}</td>'
            f'<td class="num">{money(row.claimed, blank="")}</td>'
            f'<td class="num">{money(row.difference, blank="")}</td>'
            + (f'<td class="changes">{_changes(row)}</td>' if changed else "")
            + "</tr>"
        )
    out.append("</tbody></table></div>")
    return "".join(out)


def _changes(row: Overview) -> str:
    changes = row.result.changes
    if changes is None:  # not compared: unusable, or no authority
        return ""
    return "<br>".join(escape(c) for c in changes) if changes else "no change"


def _missing(missing: Sequence[str]) -> str:
    """The authorities in the register with no return among those checked."""
    if not missing:
        return '<p id="missing">Every authority in the register has a return here.</p>'
    items = "".join(f"<li>{escape(name)}</li>" for name in missing)
    return f'<ul id="missing">{items}</ul>'


def chart_html(rows: Sequence[Overview]) -> str:
    """One bar per return: the potential (grey) with the recomputed reward (green) inside it,
    to one scale; a striped box for a return that is unusable or not yet assessed."""
    if not rows:
        return "<p>No returns were given.</p>"
    top = max([r.potential or Decimal(0) for r in rows] + [r.reward or Decimal(0) for r in rows])
    out = ['<div class="chart" id="chart" role="img" '
           'aria-label="Reward recomputed against potential per return">']  # fmt: skip
    for row in rows:
        label = f'<div class="bar-label">{escape(row.name)}</div>'
        if row.result.unusable or row.potential is None:
            why = "unusable: " + (row.reason or "not read") if row.result.unusable else (
                "not recomputed: see its findings")  # fmt: skip
            out.append(
                f'<div class="bar-row unusable">{label}<div><div class="none"></div>'
                f'<div class="bar-text">{escape(why)}</div></div></div>'
            )
            continue
        pw = float(row.potential / top * 100) if top else 0.0
        if not row.assessed:
            text = f"no actuals yet; potential {money(row.potential)}"
            rw = 0.0
        else:
            reward = row.reward or Decimal(0)
            rw = float(reward / top * 100) if top else 0.0
            share = f" ({percent(row.earned)})" if row.earned is not None else ""
            text = f"{money(reward)} of {money(row.potential)}{share}"
        out.append(
            f'<div class="bar-row">{label}<div><div class="track">'
            f'<div class="potential" style="width:{pw:.2f}%"></div>'
            f'<div class="reward" style="width:{rw:.2f}%"></div></div>'
            f'<div class="bar-text">{escape(text)}</div></div></div>'
        )
    out.append(
        '<p class="legend"><span><span class="key" style="background:#d5d8dc"></span>potential'
        '</span><span><span class="key" style="background:#229954"></span>recomputed reward'
        '</span><span><span class="key none"></span>unusable or not assessed</span></p></div>'
    )
    return "".join(out)


def _findings(rows: list[Overview]) -> str:
    out = []
    for i, row in enumerate(rows):
        found = sorted_findings(row.result.findings)
        if not found:
            continue
        out.append(
            f'<section class="file" id="return-{i}"><h3>{escape(row.name)} '
            f'{_badge(row.status)}</h3><p class="reason">{escape(str(row.result.path))}: '
            f"{_plural(row.errors, 'error')}, {_plural(row.warnings, 'warning')}, "
            f'{row.infos} info · <a href="#returns">back to the list</a></p>'
            '<div class="wrap"><table class="findings"><thead><tr><th>Severity</th>'
            "<th>Where</th><th>Rule</th>"
            "<th>Message</th></tr></thead><tbody>"
        )
        for f in found:
            out.append(
                f'<tr class="finding {f.severity}"><td>{_badge(f.severity)}</td>'
                f"<td>{escape(f.place)}</td><td>{f.rule}</td>"
                f'<td class="msg">{escape(f.message)}</td></tr>'
            )
        out.append("</tbody></table></div></section>")
    return "".join(out) or "<p>No findings.</p>"


def render_html(results: Sequence[FileResult], missing: Sequence[str] | None = None) -> str:
    """The page. ``missing`` (with a register): the authorities in the register with no return,
    listed; the returns table then has a "changed since last round" column."""
    rows = overview(results)
    register = (
        ["<h2>In the register with no return</h2>", _missing(missing)]
        if missing is not None
        else []
    )
    return "\n".join(
        [
            '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>lpsa-xl check: {_plural(len(rows), 'return')}</title>",
            f"<style>{_CSS}</style></head><body>",
            "<h1>Returns checked</h1>",
            _counts(totals(rows)),
            "<h2>Returns</h2>",
            _returns_table(rows, changed=missing is not None),
            *register,
            "<h2>Reward recomputed against potential</h2>",
            chart_html(rows),
            '<h2 id="findings">Findings</h2>',
            _findings(rows),
            "</body></html>\n",
        ]
    )


def write_html(
    path: Path, results: Sequence[FileResult], *, missing: Sequence[str] | None = None
) -> Path:
    text = render_html(results, missing)

    def write(tmp: Path) -> None:
        tmp.write_text(text, encoding="utf-8")

    return write_atomic(path, write, make_folder=True)
