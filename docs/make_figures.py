"""
Regenerate the pictures in docs/:

    python docs/make_figures.py

  linear_regression_graph.svg / .png   the graph of the lecture's linear-regression step, drawn by
                                       minigrad.viz after backward (needs Graphviz's `dot`)
  loss_curves.png                      the cost per epoch of the lecture examples (needs matplotlib,
                                       the `plot` extra)

and point the code links in how-autograd-works.md (`[`def run_backward`](../minigrad/...#L26)`)
at the line that now holds their text. tests/test_internals.py checks that they do.
"""

import re
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
sys.path.insert(0, str(DOCS.parent))  # run from a checkout without installing

import minigrad  # noqa: E402
from minigrad import optim, viz  # noqa: E402


def lecture_graph() -> None:
    """One step of seed 000's H(x) = Wx + b with the MSE cost, after cost.backward()."""
    x_train = minigrad.FloatTensor([[1], [2], [3]])
    y_train = minigrad.FloatTensor([[1], [2], [3]])
    W = minigrad.zeros(1, requires_grad=True)
    b = minigrad.zeros(1, requires_grad=True)
    hypothesis = x_train * W + b
    cost = minigrad.mean((hypothesis - y_train) ** 2)
    cost.backward()
    options = dict(show_data=True, show_grad=True, params={"W": W, "b": b})
    (DOCS / "linear_regression_graph.dot").write_text(viz.to_dot(cost, **options))
    for fmt in ("svg", "png"):
        try:
            print("wrote", viz.render(cost, DOCS / f"linear_regression_graph.{fmt}", format=fmt, **options))
        except RuntimeError as error:
            print(f"skipped linear_regression_graph.{fmt}: {error}")


def train(x_rows, y_rows, n_weights, lr, epochs, bias):
    """The lectures' loop: hypothesis, mean squared cost, zero_grad / backward / step."""
    x_train, y_train = minigrad.FloatTensor(x_rows), minigrad.FloatTensor(y_rows)
    W = minigrad.zeros((n_weights, 1), requires_grad=True)
    params = [W]
    if bias:
        b = minigrad.zeros(1, requires_grad=True)
        params.append(b)
    optimizer = optim.SGD(params, lr=lr)
    costs = []
    for _ in range(epochs + 1):
        hypothesis = x_train.matmul(W) + (b if bias else 0)
        cost = minigrad.mean((hypothesis - y_train) ** 2)
        costs.append(cost.item())
        optimizer.zero_grad()
        cost.backward()
        optimizer.step()
    return costs


def loss_curves() -> None:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("skipped loss_curves.png: needs matplotlib (pip install 'minigrad[plot]')")
        return
    quiz_x = [[73, 80, 75], [93, 88, 93], [89, 91, 90], [96, 98, 100], [73, 66, 70]]
    quiz_y = [[152], [185], [180], [196], [142]]
    runs = [
        ("H(x) = Wx, SGD lr=0.15 (seed 000)", train([[1], [2], [3]], [[1], [2], [3]], 1, 0.15, 10, False)),
        ("Exercise 1: Wx + b, lr=0.01 (seed 004)", train([[0], [1], [1]], [[0], [1], [2]], 1, 0.01, 1000, True)),
        ("Quiz 1: x @ W + b, lr=1e-5 (seed 004)", train(quiz_x, quiz_y, 3, 1e-5, 1000, True)),
    ]
    figure, axes = plt.subplots(1, len(runs), figsize=(4.2 * len(runs), 3.4))
    for ax, (title, costs) in zip(axes, runs):
        ax.plot(range(len(costs)), costs)
        ax.set_yscale("log")
        ax.set_title(title, fontsize=9)
        ax.set_xlabel("epoch")
        ax.set_ylabel("cost (MSE)")
        ax.grid(True, alpha=0.3)
    figure.tight_layout()
    path = DOCS / "loss_curves.png"
    figure.savefig(path, dpi=110, metadata={"Software": None})
    print("wrote", path)


LINK = re.compile(r"\[`([^`]+)`\]\(\.\./([^)#]+)#L(\d+)\)")


def fix_links(doc: Path = DOCS / "how-autograd-works.md") -> None:
    """Renumber each code link to the first line of its file that contains the link's text."""

    def renumber(match: re.Match) -> str:
        text, path, _ = match.groups()
        lines = (DOCS.parent / path).read_text().splitlines()
        number = next(i for i, line in enumerate(lines, 1) if text in line)
        return f"[`{text}`](../{path}#L{number})"

    doc.write_text(LINK.sub(renumber, doc.read_text()))
    print("checked links in", doc)


if __name__ == "__main__":
    fix_links()
    lecture_graph()
    loss_curves()
