"""HTML-like Graphviz labels: one table per node (title, then name, shape, dtype, data and grad rows).

Every piece of text goes through ``escape``, so names with ``<``, ``>``, ``&``, ``"``, ``{``, ``}``,
``|``, backslashes or newlines draw as written: inside an HTML label only ``& < > "`` are special,
and a newline becomes ``<BR/>``.

    >>> escape('a<b> & "c"\\nd')
    'a&lt;b&gt; &amp; &quot;c&quot;<BR/>d'
"""

from __future__ import annotations

import html
import math
import re

from autograd.profiler import format_seconds
from autograd.viz.facts import TensorFacts
from autograd.viz.scene import Link, Vertex
from autograd.viz.styles import HEALTH_COLOURS, KIND_COLOURS, KIND_NAMES, Health, time_colour, worst
from autograd.viz.summary import Summary, format_number, format_shape, format_values

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
#: The multiplication sign of the chain-rule labels.
TIMES = "\u00d7"
_TABLE = '<TABLE BORDER="{border}" CELLBORDER="0" CELLSPACING="0" CELLPADDING="3" ROWS="*" COLOR="{colour}"{style}>'


def escape(text: str) -> str:
    """Text made safe for an HTML-like label (control characters, which XML forbids, become ``?``)."""
    text = _CONTROL.sub("?", html.escape(str(text), quote=True).replace("\r\n", "\n"))
    return text.replace("\n", "<BR/>")


class LabelMaker:
    """Builds labels with the drawing's options: what to show, health thresholds, the slowest op's time."""

    def __init__(self, show_data: bool, show_grad: bool, health: Health, slowest: float | None) -> None:
        self.show_data = show_data
        self.show_grad = show_grad
        self.health = health
        self.slowest = slowest

    def vertex(self, v: Vertex) -> tuple[str, str | None]:
        """The label of ``v`` and its health mark."""
        if v.kind == "module":
            rows, mark = self._module_rows(v)
        else:
            rows, marks = [], []
            for t in v.tensors:
                marks.append(self.health.of(t.value, t.grad if self.show_grad else None))
                rows.extend(self._tensor_rows(t, with_name=v.kind == "op"))
            mark = worst(marks)
        header = self._header(v)
        style = ' STYLE="ROUNDED"' if v.kind in ("op", "module") else ""
        border, colour = ("2", HEALTH_COLOURS[mark]) if mark else ("2" if v.is_output else "1", "#444444")
        if v.kind == "more":
            border, colour = "1", "#999999"
        table = _TABLE.format(border=border, colour=colour, style=style)
        return "<" + table + header + "".join(rows) + "</TABLE>>", mark

    def _header(self, v: Vertex) -> str:
        kind = "output" if v.is_output else v.kind
        fill, font = KIND_COLOURS[kind], "#000000"
        if v.seconds is not None and self.slowest:
            fill, font = time_colour(v.seconds / self.slowest)
        title = f"<B>{escape(v.title)}</B>"
        details = list(v.attrs)
        if v.seconds is not None:
            details.append(format_seconds(v.seconds))
        if details:
            title += '<BR/><FONT POINT-SIZE="10">' + "<BR/>".join(escape(d) for d in details) + "</FONT>"
        return f'<TR><TD BGCOLOR="{fill}"><FONT COLOR="{font}">{title}</FONT></TD></TR>'

    def _tensor_rows(self, t: TensorFacts, with_name: bool) -> list[str]:
        """Name, shape and dtype; the values (red if not finite); the gradient (coloured by its health)."""
        head = f"{format_shape(t.shape)} {t.dtype}"
        if with_name and t.name:
            head = f"{t.name}  {head}"
        rows = [_row(escape(head))]
        if self.show_data and t.value is not None:
            shown = format_values(t.value)
            bad = None if t.value.finite else HEALTH_COLOURS["nonfinite"]
            if shown is not None:
                rows.append(_row("data " + escape(shown), bad))
            elif bad:
                rows.append(_row("data has NaN/inf", bad))
        if self.show_grad and t.grad is not None:
            mark = self.health.of(None, t.grad)
            fill = HEALTH_COLOURS[mark] if mark else None
            rows.extend(_row(escape(text), fill) for text in grad_lines(t.grad))
        return rows

    def _module_rows(self, v: Vertex) -> tuple[list[str], str | None]:
        params = [t for m in v.members if m.kind == "param" for t in m.tensors]
        rows = [_row(f"params {sum(math.prod(t.shape) for t in params):,}")]
        rows.extend(_row("out " + escape(format_shape(shape))) for shape in v.out_shapes)
        grads = [t.grad for t in params if t.grad is not None]
        marks = [self.health.of(t.value, None) for m in v.members for t in m.tensors]
        mark = worst([*marks, *(self.health.of(None, g) for g in grads)]) if self.show_grad else worst(marks)
        if grads and self.show_grad:
            norm = math.sqrt(sum(g.norm**2 for g in grads))
            fill = HEALTH_COLOURS[mark] if mark else None
            rows.append(_row(escape(f"‖grad‖ {format_number(norm)} (params)"), fill))
        return rows, mark

    def link(self, link: Link) -> tuple[str | None, bool]:
        """The backward view's edge label (upstream times local = product, or the norm) and whether it is finite."""
        p = link.product
        if p is None:
            return None, True
        if link.upstream is not None and link.local is not None and p.size == 1:
            up, local, out = (format_values(s) for s in (link.upstream, link.local, p))
            return f"<{escape(f'{up} {TIMES} {local} = {out}')}>", p.finite
        return f"<{escape(grad_text(p))}>", p.finite

    def legend(self, kinds: set[str], backward: bool) -> str:
        """A table naming every colour in use."""
        rows = [_row("<B>legend</B>")]
        for kind, text in KIND_NAMES.items():
            if kind in kinds:
                rows.append(_row(escape(text), KIND_COLOURS[kind]))
        for mark, text in self.health.descriptions().items():
            rows.append(_row(escape(text), HEALTH_COLOURS[mark]))
        if self.slowest:
            rows.append(_row(escape(f"op time: light fast, dark slow (slowest {format_seconds(self.slowest)})")))
        if backward:
            rows.append(_row(escape(f"arrows: the gradient flowing back; upstream {TIMES} local = sent to the input")))
        return "<" + _TABLE.format(border="0", colour="#444444", style="") + "".join(rows) + "</TABLE>>"


def grad_lines(g: Summary) -> list[str]:
    """The values of a small gradient, and its L2 norm unless it has a single element."""
    shown = format_values(g)
    lines = [] if shown is None else [f"grad {shown}"]
    if g.size != 1:
        lines.append(f"‖grad‖ {format_number(g.norm)}")
    return lines


def grad_text(g: Summary) -> str:
    """``grad 2.0000`` for a small gradient, else ``‖grad‖ 1.234e-03``."""
    shown = format_values(g)
    return f"grad {shown}" if shown is not None else f"‖grad‖ {format_number(g.norm)}"


def _row(content: str, fill: str | None = None) -> str:
    colour = f' BGCOLOR="{fill}"' if fill else ""
    return f"<TR><TD{colour}>{content}</TD></TR>"
