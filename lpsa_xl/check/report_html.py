"""``--html report.html``: findings per file and a chart of reward achieved against potential per
authority, as inline SVG (no script, nothing fetched: the page works offline)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from html import escape
from pathlib import Path

from lpsa_xl.check.findings import FileResult
from lpsa_xl.files.safe import write_atomic

__all__ = ["chart_svg", "render_html", "write_html"]

_COLOURS = {"error": "#c0392b", "warning": "#d68910", "info": "#5d6d7e"}
_CSS = """body{font-family:system-ui,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;
margin:1em 0}td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left;vertical-align:top}
th{background:#f3f3f3}.ok{color:#1e8449}.findings{color:#b9770e}.unusable{color:#c0392b}
td.num{text-align:right}"""


def _money(value: Decimal | None) -> str:
    return "" if value is None else f"£{value:,.0f}"


def chart_svg(results: Sequence[FileResult]) -> str:
    """Horizontal bars per authority: the potential (grey) and the recomputed reward (green)."""
    charted = [r for r in results if r.summary is not None and r.summary.potential is not None]
    names = [r.authority or r.path.name for r in charted]
    rows = [
        (
            name if names.count(name) == 1 else f"{name} ({r.path.name})",
            r.summary.potential or Decimal(0),  # type: ignore[union-attr]
            r.summary.reward or Decimal(0),  # type: ignore[union-attr]
        )
        for name, r in zip(names, charted, strict=True)
    ]
    if not rows:
        return "<p>No return could be recomputed, so there is no chart.</p>"
    label_w, bar_w, row_h = 220, 520, 26
    top = max(max(p, w) for _, p, w in rows) or Decimal(1)
    height = row_h * len(rows) + 40
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{label_w + bar_w + 180}" '
        f'height="{height}" '
        'role="img" aria-label="Reward achieved against potential per authority">'
    ]
    for i, (name, pot, won) in enumerate(rows):
        y = 10 + i * row_h
        pw, ww = float(pot / top) * bar_w, float(won / top) * bar_w
        pct = f" ({won / pot:.0%})" if pot else ""
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 15}" text-anchor="end" font-size="12">'
            f"{escape(name)}</text>"
            f'<rect x="{label_w}" y="{y + 2}" width="{pw:.1f}" height="18" fill="#d5d8dc">'
            f"<title>{escape(name)}: potential {_money(pot)}</title></rect>"
            f'<rect x="{label_w}" y="{y + 6}" width="{ww:.1f}" height="10" fill="#229954">'
            f"<title>{escape(name)}: reward {_money(won)}</title></rect>"
            f'<text x="{label_w + max(pw, ww) + 6:.1f}" y="{y + 15}" font-size="11">'
            f"{_money(won)} of {_money(pot)}{pct}</text>"
        )
    legend_y = height - 12
    parts.append(
        f'<rect x="{label_w}" y="{legend_y - 9}" width="12" height="10" fill="#d5d8dc"/>'
        f'<text x="{label_w + 16}" y="{legend_y}" font-size="11">potential</text>'
        f'<rect x="{label_w + 90}" y="{legend_y - 9}" width="12" height="10" fill="#229954"/>'
        f'<text x="{label_w + 106}" y="{legend_y}" font-size="11">recomputed reward</text></svg>'
    )
    return "".join(parts)


def render_html(results: Sequence[FileResult]) -> str:
    out = [
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>lpsa-xl check</title>',
        f"<style>{_CSS}</style></head><body><h1>Returns checked</h1>",
        "<h2>Reward achieved against potential</h2>",
        chart_svg(results),
        "<h2>Files</h2><table><tr><th>File</th><th>Authority</th><th>Status</th><th>Potential</th>"
        "<th>Recomputed reward</th><th>Claimed reward</th><th>Errors</th><th>Warnings</th></tr>",
    ]
    for r in results:
        s = r.summary
        out.append(
            f"<tr><td>{escape(str(r.path))}</td><td>{escape(r.authority)}</td>"
            f'<td class="{r.status}">{r.status}</td>'
            f'<td class="num">{_money(s.potential) if s else ""}</td>'
            f'<td class="num">{_money(s.reward) if s else ""}</td>'
            f'<td class="num">{_money(s.claimed_reward) if s else ""}</td>'
            f'<td class="num">{r.count("error")}</td><td class="num">{r.count("warning")}</td></tr>'
        )
    out.append("</table><h2>Findings</h2>")
    for r in results:
        if not r.findings:
            continue
        out.append(
            f"<h3>{escape(str(r.path))}</h3><table><tr><th>Severity</th><th>Rule</th>"
            "<th>Sheet</th><th>Cell</th><th>Message</th></tr>"
        )
        for f in r.findings:
            out.append(
                f'<tr><td style="color:{_COLOURS[f.severity]}">{f.severity}</td><td>{f.rule}</td>'
                f"<td>{escape(f.sheet or '')}</td><td>{escape(f.cell or '')}</td>"
                f"<td>{escape(f.message)}</td></tr>"
            )
        out.append("</table>")
    out.append("</body></html>\n")
    return "\n".join(out)


def write_html(path: Path, results: Sequence[FileResult]) -> Path:
    text = render_html(results)

    def write(tmp: Path) -> None:
        tmp.write_text(text, encoding="utf-8")

    return write_atomic(path, write, make_folder=True)
