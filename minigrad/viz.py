"""
Pictures of the autograd graph: what `loss.backward()` will walk.

    print_graph(loss)                  plain-text tree, needs nothing installed
    to_dot(loss) / to_mermaid(loss)    DOT or Mermaid text, needs nothing installed
    render(loss, "graph.svg")          SVG or PNG, needs the Graphviz `dot` program
    draw(loss)                         a graphviz.Digraph (the optional `viz` extra), like torchviz

Nodes are ops (a tensor's `grad_fn`, with the shape it produced), leaves (with their shape, and
their values and gradients when asked) and the output tensor. An edge goes from an input to the
op that used it and carries the input's shape; where the forward broadcast that input, the edge
says how backward sums the gradient back ("grad (1,) <- sum over dim 0 of (3, 1)").

Every function first builds a `Graph` (`build_graph`), then writes it out; start reading there.
"""

from __future__ import annotations

import math
import shutil
import subprocess
import sys
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from minigrad.autograd.function import AccumulateGrad, Node
from minigrad.autograd.trace import _short, describe_sum


@dataclass
class GraphNode:
    key: str  # "n0", "n1", ... in breadth-first order from the output
    kind: str  # "output", "op", "leaf", "module" or "more"
    lines: list[str]  # the label, one entry per line


@dataclass
class GraphEdge:
    src: str  # the input ...
    dst: str  # ... and the node that used it (forward direction)
    shape: str  # the input's shape, e.g. "(3, 1)"
    note: str | None = None  # "grad (1,) <- sum over dim 0 of (3, 1)" where backward sums


@dataclass
class Graph:
    nodes: list[GraphNode] = field(default_factory=list)
    edges: list[GraphEdge] = field(default_factory=list)


# ---- building the graph ----


def build_graph(
    tensor: Any,
    show_data: bool = False,
    show_grad: bool = False,
    params: dict | None = None,
    collapse: Any = None,
    max_nodes: int | None = None,
) -> Graph:
    """Walk from `tensor` back to the leaves (breadth first, no recursion) and describe what is there.

    Args:
        tensor: the output (usually the loss)
        show_data / show_grad: print leaves' values / gradients (and `retain_grad()` tensors' grads)
        params: names for leaves, e.g. dict(model.named_parameters()), as in torchviz
        collapse: a Module (or a list of them) to draw as one node each
        max_nodes: draw at most this many nodes; one more node says what was left out
    """
    names = {id(t): name for name, t in (params or {}).items()}
    order, producers = _walk(tensor)
    out_shape = {id(tensor.grad_fn): tuple(tensor.shape)} if tensor.grad_fn is not None else {}
    for node, _ in producers:
        for (parent, _nr), meta in zip(_edges(node), _metas(node)):
            out_shape[id(parent)] = tuple(meta[0])

    key_of = {id(node): f"n{i + 1}" for i, node in enumerate(order)}
    graph = Graph()
    graph.nodes.append(GraphNode("n0", "output", _output_lines(tensor, show_data, show_grad)))
    for node in order:
        lines = _node_lines(node, out_shape.get(id(node)), names, show_data, show_grad)
        graph.nodes.append(GraphNode(key_of[id(node)], "leaf" if isinstance(node, AccumulateGrad) else "op", lines))

    if tensor.grad_fn is not None:
        graph.edges.append(GraphEdge(key_of[id(tensor.grad_fn)], "n0", _shape(tensor.shape)))
    elif order:  # the output is itself a leaf
        graph.edges.append(GraphEdge(key_of[id(order[0])], "n0", _shape(tensor.shape)))
    for node, _ in producers:
        for (parent, _nr), meta in zip(_edges(node), _metas(node)):
            note = _sum_note(node, tuple(meta[0]), out_shape.get(id(node)))
            graph.edges.append(GraphEdge(key_of[id(parent)], key_of[id(node)], _shape(meta[0]), note))

    if collapse is not None:
        modules = collapse if isinstance(collapse, (list, tuple)) else [collapse]
        for module in modules:
            _collapse_module(graph, module, order, key_of)
    if max_nodes is not None and len(graph.nodes) > max_nodes:
        _cap(graph, max_nodes)
    return graph


def _walk(tensor: Any) -> tuple[list[Node], list[tuple[Node, int]]]:
    """The nodes reachable from `tensor`, breadth first, and the op nodes among them."""
    if tensor.grad_fn is None:
        edge = tensor._gradient_edge() if tensor.requires_grad else None  # (a no_grad view has none)
        return ([edge[0]] if edge is not None else []), []
    order, seen, queue = [], {id(tensor.grad_fn)}, deque([tensor.grad_fn])
    while queue:
        node = queue.popleft()
        order.append(node)
        for parent, _nr in _edges(node):
            if id(parent) not in seen:
                seen.add(id(parent))
                queue.append(parent)
    producers = [(node, i) for i, node in enumerate(order) if not isinstance(node, AccumulateGrad)]
    return order, producers


def _edges(node: Node) -> list:
    return [edge for edge in node._edges if edge is not None]


def _metas(node: Node) -> list:
    return [meta for edge, meta in zip(node._edges, node._input_meta) if edge is not None]


def _shape(shape: Any) -> str:
    return str(tuple(shape))


def _sum_note(node: Node, input_shape: tuple, output_shape: tuple | None) -> str | None:
    """Where backward will sum this input's gradient: the forward broadcast it to a bigger shape.

    Matrix products are left out: their backward already returns the input's shape.
    """
    if output_shape is None or node._forward_cls.__module__ == "minigrad.ops.linalg":
        return None
    grows = math.prod(output_shape) > math.prod(input_shape)
    if not grows or not _broadcasts(input_shape, output_shape):
        return None
    return f"grad {input_shape} <- {describe_sum(output_shape, input_shape)}"


def _broadcasts(shape: tuple, target: tuple) -> bool:
    if len(shape) > len(target):
        return False
    return all(size in (1, big) for size, big in zip(reversed(shape), reversed(target)))


def _output_lines(tensor: Any, show_data: bool, show_grad: bool) -> list[str]:
    lines = [f"output {_shape(tensor.shape)}"]
    if show_data:
        lines.append(f"data: {_short(tensor)}")
    if show_grad and tensor._grad is not None:
        lines.append(f"grad: {_short(tensor._grad)}")
    return lines


def _node_lines(node: Node, out_shape: tuple | None, names: dict, show_data: bool, show_grad: bool) -> list[str]:
    if isinstance(node, AccumulateGrad):
        variable = node.variable
        lines = [names.get(id(variable), "leaf") + f" {_shape(variable.shape)}"]
        if show_data:
            lines.append(f"data: {_short(variable, with_shape=False)}")
        if show_grad:
            lines.append(f"grad: {_short(variable._grad, with_shape=False)}")
        return lines
    lines = [node.name() if out_shape is None else f"{node.name()} -> {_shape(out_shape)}"]
    retained = (node._retained or {}).get(0)
    tensor = retained() if retained is not None else None
    if show_grad and tensor is not None and tensor._grad is not None:
        lines.append(f"grad: {_short(tensor._grad)}")
    return lines


def _collapse_module(graph: Graph, module: Any, order: list[Node], key_of: dict) -> None:
    """Draw the nodes of one module's forward as a single node.

    Those nodes are found without hooks: the ops that use one of the module's parameters,
    and every op recorded between the first and the last of them (nodes are numbered in the
    order they were created, `_sequence_nr`). Ops at the very start or end of a forward that
    touch no parameter stay outside.
    """
    param_ids = {id(p) for p in module.parameters()}
    leaves = [n for n in order if isinstance(n, AccumulateGrad) and id(n.variable) in param_ids]
    leaf_ids = {id(n) for n in leaves}
    seeds = [n for n in order if not isinstance(n, AccumulateGrad) and any(id(e[0]) in leaf_ids for e in _edges(n))]
    if not seeds:
        return
    first, last = min(n._sequence_nr for n in seeds), max(n._sequence_nr for n in seeds)
    ops = [n for n in order if not isinstance(n, AccumulateGrad) and first <= n._sequence_nr <= last]
    inside = {key_of[id(n)] for n in ops + leaves}
    group_key = key_of[id(max(ops, key=lambda n: n._sequence_nr))]  # the node where its output leaves
    label = repr(module) if "\n" not in repr(module) else type(module).__name__
    lines = [label, f"{len(ops)} ops, {len(leaves)} parameters collapsed"]
    graph.nodes = [n for n in graph.nodes if n.key not in inside or n.key == group_key]
    for node in graph.nodes:
        if node.key == group_key:
            node.kind, node.lines = "module", lines
    _redirect(graph, lambda key: group_key if key in inside else key)


def _cap(graph: Graph, max_nodes: int) -> None:
    """Keep the first `max_nodes - 1` nodes (nearest the output) and say what the rest were."""
    kept, hidden = graph.nodes[: max_nodes - 1], graph.nodes[max_nodes - 1 :]
    ops = sum(1 for n in hidden if n.kind in ("op", "module"))
    leaves = len(hidden) - ops
    more = GraphNode("more", "more", [f"... {len(hidden)} more nodes not shown ({ops} ops, {leaves} leaves)"])
    hidden_keys = {n.key for n in hidden}
    graph.nodes = kept + [more]
    _redirect(graph, lambda key: "more" if key in hidden_keys else key)


def _redirect(graph: Graph, new_key: Any) -> None:
    """Point edges at new node keys; drop edges that end up inside one node, and repeats."""
    edges, seen = [], set()
    for edge in graph.edges:
        src, dst = new_key(edge.src), new_key(edge.dst)
        if src == dst or (src, dst, edge.shape, edge.note) in seen:
            continue
        seen.add((src, dst, edge.shape, edge.note))
        edges.append(GraphEdge(src, dst, edge.shape, edge.note))
    graph.edges = edges


# ---- writing it out ----

_DOT_STYLE = {
    "output": {"shape": "box", "style": "filled", "fillcolor": "darkolivegreen1"},
    "op": {"shape": "box", "style": "rounded,filled", "fillcolor": "lightgrey"},
    "leaf": {"shape": "box", "style": "filled", "fillcolor": "lightblue"},
    "module": {"shape": "box3d", "style": "filled", "fillcolor": "lightyellow"},
    "more": {"shape": "note", "style": "filled", "fillcolor": "white"},
}


def to_dot(tensor: Any, show_data: bool = False, show_grad: bool = False, **options: Any) -> str:
    """The graph as Graphviz DOT text (pipe it to `dot -Tsvg`, or paste it into any DOT viewer)."""
    graph = build_graph(tensor, show_data, show_grad, **options)
    lines = ["digraph minigrad {", '    node [fontname="monospace", fontsize=10];', "    edge [fontsize=9];"]
    for node in graph.nodes:
        style = ", ".join(f'{name}="{value}"' for name, value in _DOT_STYLE[node.kind].items())
        lines.append(f'    {node.key} [label="{_dot_label(node.lines)}", {style}];')
    for edge in graph.edges:
        lines.append(f'    {edge.src} -> {edge.dst} [label="{_dot_label(_edge_lines(edge))}"];')
    lines.append("}")
    return "\n".join(lines) + "\n"


def _dot_label(lines: list[str]) -> str:
    return "\\n".join(line.replace("\\", "\\\\").replace('"', '\\"') for line in lines)


def _edge_lines(edge: GraphEdge) -> list[str]:
    return [edge.shape] if edge.note is None else [edge.shape, edge.note]


_MERMAID_SHAPE = {
    "output": ("[", "]"),
    "op": ("(", ")"),
    "leaf": ("[", "]"),
    "module": ("[[", "]]"),
    "more": (">", "]"),
}


def to_mermaid(tensor: Any, show_data: bool = False, show_grad: bool = False, **options: Any) -> str:
    """The graph as a Mermaid flowchart (GitHub renders ```mermaid blocks in Markdown)."""
    graph = build_graph(tensor, show_data, show_grad, **options)
    lines = ["flowchart TB"]
    for node in graph.nodes:
        left, right = _MERMAID_SHAPE[node.kind]
        lines.append(f'    {node.key}{left}"{_mermaid_label(node.lines)}"{right}')
    for edge in graph.edges:
        lines.append(f'    {edge.src} -->|"{_mermaid_label(_edge_lines(edge))}"| {edge.dst}')
    return "\n".join(lines) + "\n"


def _mermaid_label(lines: list[str]) -> str:
    return "<br/>".join(line.replace('"', "#quot;").replace("<-", "&lt;-") for line in lines)


def to_text(tensor: Any, show_data: bool = False, show_grad: bool = False, **options: Any) -> str:
    """The graph as a plain-text tree, from the output back to the leaves."""
    graph = build_graph(tensor, show_data, show_grad, **options)
    label = {node.key: " | ".join(node.lines) for node in graph.nodes}
    inputs: dict[str, list[GraphEdge]] = {}
    for edge in graph.edges:
        inputs.setdefault(edge.dst, []).append(edge)

    lines, shown = [label["n0"]], {"n0"}
    stack = [(edge, "", i == len(inputs.get("n0", [])) - 1) for i, edge in enumerate(inputs.get("n0", []))][::-1]
    while stack:  # depth first, with an explicit stack: deep graphs are fine
        edge, prefix, last = stack.pop()
        note = f"  [{edge.note}]" if edge.note else ""
        repeat = "  (shown above)" if edge.src in shown else ""
        lines.append(f"{prefix}{'└── ' if last else '├── '}{label[edge.src]}{note}{repeat}")
        if repeat:
            continue
        shown.add(edge.src)
        children = inputs.get(edge.src, [])
        child_prefix = prefix + ("    " if last else "│   ")
        stack.extend((child, child_prefix, i == len(children) - 1) for i, child in reversed(list(enumerate(children))))
    return "\n".join(lines)


def print_graph(
    tensor: Any, show_data: bool = False, show_grad: bool = False, file: Any = None, **options: Any
) -> None:
    """Print the plain-text tree of the graph that made `tensor` (see `to_text`)."""
    print(to_text(tensor, show_data, show_grad, **options), file=file or sys.stdout)


def draw(tensor: Any, show_data: bool = False, show_grad: bool = False, **options: Any) -> Any:
    """The graph as a `graphviz.Digraph` (display it in a notebook, or `.render()` it), like torchviz.

    Needs the `graphviz` Python package (pip install 'minigrad[viz]'), and the Graphviz `dot`
    program to render; `to_dot`, `to_mermaid` and `print_graph` need neither.
    """
    try:
        import graphviz
    except ImportError as error:
        raise ImportError(
            "minigrad.viz.draw needs the graphviz package: pip install 'minigrad[viz]' "
            "(or pip install graphviz). to_dot(), to_mermaid() and print_graph() need nothing installed."
        ) from error
    graph = build_graph(tensor, show_data, show_grad, **options)
    digraph = graphviz.Digraph(
        "minigrad", node_attr={"fontname": "monospace", "fontsize": "10"}, edge_attr={"fontsize": "9"}
    )
    for node in graph.nodes:
        digraph.node(node.key, label=_dot_label(node.lines), **_DOT_STYLE[node.kind])
    for edge in graph.edges:
        digraph.edge(edge.src, edge.dst, label=_dot_label(_edge_lines(edge)))
    return digraph


def render(
    tensor: Any, path: str, format: str = "svg", show_data: bool = False, show_grad: bool = False, **options: Any
) -> str:  # noqa: A002
    """Write the graph to `path` as SVG or PNG with the Graphviz `dot` program; returns `path`."""
    if format not in ("svg", "png", "pdf"):
        raise ValueError(f"format must be 'svg', 'png' or 'pdf', got {format!r}")
    dot = shutil.which("dot")
    if dot is None:
        raise RuntimeError(
            "render() needs the Graphviz `dot` program (apt-get install graphviz, brew install graphviz "
            "or conda install graphviz). to_dot(), to_mermaid() and print_graph() work without it."
        )
    source = to_dot(tensor, show_data, show_grad, **options)
    subprocess.run([dot, f"-T{format}", "-o", str(path)], input=source.encode(), check=True)
    return str(path)
