"""minigrad.viz: the DOT text's nodes and edges, Mermaid, the text tree, collapsing, the node cap."""

import re
import shutil
import sys

import pytest

import minigrad
from minigrad import nn, viz


def lecture_step():
    """The lecture's linear-regression step: H(x) = Wx + b, MSE cost, backward."""
    x_train = minigrad.FloatTensor([[1], [2], [3]])
    y_train = minigrad.FloatTensor([[1], [2], [3]])
    W = minigrad.zeros(1, requires_grad=True)
    b = minigrad.zeros(1, requires_grad=True)
    cost = minigrad.mean((x_train * W + b - y_train) ** 2)
    cost.backward()
    return cost, {"W": W, "b": b}


def parse_dot(text):
    """{key: label} and [(src, dst, label)] from our DOT output."""
    nodes = dict(re.findall(r'^\s+(\w+) \[label="([^"]*)"', text, re.M))
    edges = re.findall(r'^\s+(\w+) -> (\w+) \[label="([^"]*)"', text, re.M)
    return nodes, edges


def test_dot_has_the_lecture_nodes_and_edges():
    cost, params = lecture_step()
    nodes, edges = parse_dot(viz.to_dot(cost, params=params))
    assert sorted(nodes.values()) == sorted(
        [
            "output ()",
            "MeanBackward0 -> ()",
            "PowBackward0 -> (3, 1)",
            "SubBackward0 -> (3, 1)",
            "AddBackward0 -> (3, 1)",
            "MulBackward0 -> (3, 1)",
            "W (1,)",
            "b (1,)",
        ]
    )
    named = {(nodes[src], nodes[dst], label) for src, dst, label in edges}
    broadcast = r"(1,)\ngrad (1,) <- sum over dim 0 of (3, 1)"
    assert named == {
        ("MeanBackward0 -> ()", "output ()", "()"),
        ("PowBackward0 -> (3, 1)", "MeanBackward0 -> ()", "(3, 1)"),
        ("SubBackward0 -> (3, 1)", "PowBackward0 -> (3, 1)", "(3, 1)"),
        ("AddBackward0 -> (3, 1)", "SubBackward0 -> (3, 1)", "(3, 1)"),
        ("MulBackward0 -> (3, 1)", "AddBackward0 -> (3, 1)", "(3, 1)"),
        ("W (1,)", "MulBackward0 -> (3, 1)", broadcast),
        ("b (1,)", "AddBackward0 -> (3, 1)", broadcast),
    }
    assert viz.to_dot(cost, params=params).startswith("digraph minigrad {")


def test_values_and_grads_when_asked():
    cost, params = lecture_step()
    nodes, _ = parse_dot(viz.to_dot(cost, show_data=True, show_grad=True, params=params))
    labels = set(nodes.values())
    assert r"W (1,)\ndata: [0]\ngrad: [-9.333]" in labels  # 2/3·Σ(0·x − y)·x = −28/3
    assert r"b (1,)\ndata: [0]\ngrad: [-4]" in labels  # 2/3·Σ(0·x − y) = −4
    assert r"output ()\ndata: 4.667" in labels


def test_broadcast_note_names_the_summed_dims():
    x = minigrad.ones(3, 4, requires_grad=True)
    column = minigrad.ones(3, 1, requires_grad=True)
    nodes, edges = parse_dot(viz.to_dot((x * column).sum(), params={"x": x, "column": column}))
    labels = {nodes[src]: label for src, dst, label in edges}
    assert labels["column (3, 1)"] == r"(3, 1)\ngrad (3, 1) <- sum over dim 1 of (3, 4)"
    assert labels["x (3, 4)"] == "(3, 4)"


def test_matmul_edges_have_no_broadcast_note():
    x = minigrad.ones(3, 1, requires_grad=True)
    y = minigrad.ones(1, 5, requires_grad=True)
    _, edges = parse_dot(viz.to_dot((x @ y).sum()))
    assert all("sum over" not in label for *_, label in edges)


def test_mermaid_and_text_tree():
    cost, params = lecture_step()
    mermaid = viz.to_mermaid(cost, params=params)
    assert mermaid.startswith("flowchart TB")
    assert mermaid.count("-->") == 7
    assert '"(1,)<br/>grad (1,) &lt;- sum over dim 0 of (3, 1)"' in mermaid

    text = viz.to_text(cost, params=params)
    assert text.splitlines() == [
        "output ()",
        "└── MeanBackward0 -> ()",
        "    └── PowBackward0 -> (3, 1)",
        "        └── SubBackward0 -> (3, 1)",
        "            └── AddBackward0 -> (3, 1)",
        "                ├── MulBackward0 -> (3, 1)",
        "                │   └── W (1,)  [grad (1,) <- sum over dim 0 of (3, 1)]",
        "                └── b (1,)  [grad (1,) <- sum over dim 0 of (3, 1)]",
    ]


def test_print_graph_marks_shared_nodes(capsys):
    w = minigrad.tensor([2.0], requires_grad=True)
    square = w * w
    (square + square).sum().backward()
    viz.print_graph(square + square, params={"w": w})
    out = capsys.readouterr().out
    assert out.count("MulBackward0") == 2 and "(shown above)" in out


def test_leaf_output_and_no_graph():
    w = minigrad.tensor([1.0, 2.0], requires_grad=True)
    nodes, edges = parse_dot(viz.to_dot(w, params={"w": w}))
    assert set(nodes.values()) == {"output (2,)", "w (2,)"} and len(edges) == 1


def test_max_nodes_says_what_it_left_out():
    x = minigrad.tensor([0.5], requires_grad=True)
    y = x
    for _ in range(30):
        y = minigrad.tanh(y)
    nodes, edges = parse_dot(viz.to_dot(y, max_nodes=10))
    assert len(nodes) == 10
    assert "... 23 more nodes not shown (22 ops, 1 leaves)" in nodes.values()  # 30 ops + leaf + output = 32
    assert ("n8", "n7") in {(src, dst) for src, dst, _ in edges}
    assert ("more", "n8") in {(src, dst) for src, dst, _ in edges}


def test_collapse_a_module_to_one_node():
    minigrad.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 1))
    x = minigrad.ones(5, 3)
    loss = (model(x) ** 2).mean()
    full, _ = parse_dot(viz.to_dot(loss))
    nodes, edges = parse_dot(viz.to_dot(loss, collapse=model))
    module_nodes = [label for label in nodes.values() if "collapsed" in label]
    assert len(module_nodes) == 1 and module_nodes[0].startswith("Sequential")
    assert "4 parameters collapsed" in module_nodes[0]
    assert not any(label.startswith(("ReluBackward0", "leaf")) for label in nodes.values())
    assert len(nodes) < len(full)
    by_label = {nodes[src]: nodes[dst] for src, dst, _ in edges}
    assert by_label[module_nodes[0]].startswith("PowBackward0")

    layers, _ = parse_dot(viz.to_dot(loss, collapse=[model[0], model[2]]))
    collapsed = sorted(label.split("\\n")[0] for label in layers.values() if "collapsed" in label)
    assert collapsed == [
        "Linear(in_features=3, out_features=4, bias=True)",
        "Linear(in_features=4, out_features=1, bias=True)",
    ]
    assert any(label.startswith("ReluBackward0") for label in layers.values())


def test_draw_returns_a_digraph():
    graphviz = pytest.importorskip("graphviz")
    cost, params = lecture_step()
    digraph = viz.draw(cost, show_grad=True, params=params)
    assert isinstance(digraph, graphviz.Digraph)
    assert "MulBackward0 -> (3, 1)" in digraph.source and "sum over dim 0 of (3, 1)" in digraph.source


def test_draw_without_graphviz_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "graphviz", None)
    cost, _ = lecture_step()
    with pytest.raises(ImportError, match=r"pip install 'minigrad\[viz\]'"):
        viz.draw(cost)


@pytest.mark.skipif(shutil.which("dot") is None, reason="the Graphviz `dot` program is not installed")
@pytest.mark.parametrize("fmt", ["svg", "png"])
def test_render_writes_a_picture(tmp_path, fmt):
    cost, params = lecture_step()
    path = viz.render(cost, tmp_path / f"graph.{fmt}", format=fmt, params=params)
    content = open(path, "rb").read()
    assert (b"<svg" in content) if fmt == "svg" else content.startswith(b"\x89PNG")


def test_render_without_dot_says_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    cost, _ = lecture_step()
    with pytest.raises(RuntimeError, match="Graphviz `dot` program"):
        viz.render(cost, tmp_path / "graph.svg")
