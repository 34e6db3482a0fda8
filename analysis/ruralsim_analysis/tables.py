"""Rendering rows of text cells as terminal, Markdown or HTML tables."""

from __future__ import annotations

import html
import unicodedata


def _width(text):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in str(text))


def _pad(text, width, align):
    gap = width - _width(text)
    return (" " * gap + text) if align == "r" else (text + " " * gap)


def text(headers, rows, align=None, indent=""):
    """A plain-text table; align is a string of 'l'/'r' per column (default: first l, rest r)."""
    align = align or "l" + "r" * (len(headers) - 1)
    widths = [max([_width(h)] + [_width(r[i]) for r in rows]) for i, h in enumerate(headers)]
    lines = [indent + "  ".join(_pad(h, w, a) for h, w, a in zip(headers, widths, align)).rstrip(),
             indent + "  ".join("-" * w for w in widths)]
    for r in rows:
        if r and r[0].startswith("## "):  # a section row
            lines.append(indent + r[0][3:])
            continue
        lines.append(indent + "  ".join(_pad(str(c), w, a) for c, w, a in zip(r, widths, align)).rstrip())
    return "\n".join(lines)


def markdown(headers, rows, align=None):
    align = align or "l" + "r" * (len(headers) - 1)

    def esc(c):
        return str(c).replace("|", "\\|")

    lines = ["| " + " | ".join(esc(h) for h in headers) + " |",
             "|" + "|".join("---:" if a == "r" else ":---" for a in align) + "|"]
    for r in rows:
        if r and r[0].startswith("## "):
            lines.append("| **" + esc(r[0][3:]) + "** |" + " |" * (len(headers) - 1))
            continue
        lines.append("| " + " | ".join(esc(c) for c in r) + " |")
    return "\n".join(lines)


def html_table(headers, rows, align=None, cls="data"):
    align = align or "l" + "r" * (len(headers) - 1)
    out = [f'<table class="{cls}"><thead><tr>']
    out += [f'<th class="{"num" if a == "r" else "txt"}">{html.escape(str(h))}</th>' for h, a in zip(headers, align)]
    out.append("</tr></thead><tbody>")
    for r in rows:
        if r and str(r[0]).startswith("## "):
            out.append(f'<tr class="section"><td colspan="{len(headers)}">{html.escape(str(r[0])[3:])}</td></tr>')
            continue
        out.append("<tr>" + "".join(f'<td class="{"num" if a == "r" else "txt"}">{html.escape(str(c))}</td>'
                                    for c, a in zip(r, align)) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)
