"""See what backprop walks: draw the graph (``draw_graph``), print it (``print_graph``), record it.

``draw_graph`` builds a ``graphviz.Digraph`` with every op, leaf and parameter, values and
gradients, health colours, module clusters and a legend; ``print_graph`` prints an indented tree;
``record_graph`` keeps every intermediate's value and gradient while you compute. See
docs/graphs.md.
"""

from autograd.viz.dot import GraphvizNotFoundError
from autograd.viz.draw import draw_graph
from autograd.viz.record import GraphRecording, record_graph
from autograd.viz.terminal import format_graph, print_graph

__all__ = ["GraphRecording", "GraphvizNotFoundError", "draw_graph", "format_graph", "print_graph", "record_graph"]
