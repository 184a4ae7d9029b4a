"""
Printing tensors exactly as PyTorch prints them (torch/_tensor_str.py's rules, rewritten):

- floats whose values are all whole numbers print as `1.`; otherwise 4 decimals (`0.7467`);
  scientific notation when the values span more than 1000x, exceed 1e8 or go below 1e-4;
- every element is right-aligned to the widest one; rows wrap at 80 columns;
- more than 1000 elements are summarized with `...` (3 items at each edge);
- suffixes: `device=`, `dtype=` (unless float32, int64 or bool), `grad_fn=<...>` or
  `requires_grad=True`.

set_printoptions changes the 4 decimals, the 80 columns, the 1000 elements and the 3 edge
items, and can force scientific notation on or off.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from minigrad import backend, dtypes
from minigrad.autograd import inplace


class _PrintOptions:
    """What set_printoptions changes: digits after the point, how many elements print whole,
    how many edge items a summary keeps, the line width, and scientific notation (None: chosen)."""

    def __init__(self) -> None:
        self.precision, self.threshold, self.edgeitems, self.linewidth = 4, 1000, 3, 80
        self.sci_mode: bool | None = None


OPTIONS = _PrintOptions()
_PROFILES = {  # precision, threshold, edgeitems, linewidth
    "default": (4, 1000, 3, 80),
    "short": (2, 1000, 2, 80),
    "full": (4, math.inf, 3, 80),
}


def set_printoptions(
    precision: int | None = None,
    threshold: float | None = None,
    edgeitems: int | None = None,
    linewidth: int | None = None,
    profile: str | None = None,
    sci_mode: bool | None = None,
) -> None:
    """How tensors print from now on, as torch.set_printoptions: a profile ('default', 'short',
    'full') first, then each option given; sci_mode is set on every call (None: chosen per tensor)."""
    if profile in _PROFILES:
        OPTIONS.precision, OPTIONS.threshold, OPTIONS.edgeitems, OPTIONS.linewidth = _PROFILES[profile]
    for name, value in (
        ("precision", precision),
        ("threshold", threshold),
        ("edgeitems", edgeitems),
        ("linewidth", linewidth),
    ):
        if value is not None:
            setattr(OPTIONS, name, value)
    OPTIONS.sci_mode = sci_mode


class _Formatter:
    """Decides, from all the values to print, one format and one width for every element."""

    def __init__(self, values: np.ndarray) -> None:
        self.floating = values.dtype.kind == "f"
        self.int_mode = True
        self.sci_mode = False
        self.max_width = 1
        flat = values.reshape(-1)
        if not self.floating:
            for value in flat.tolist():
                self.max_width = max(self.max_width, len(str(value)))
            return
        finite = flat[np.isfinite(flat) & (flat != 0)].astype(np.float64)
        if finite.size == 0:
            return
        precision = OPTIONS.precision
        magnitude = np.abs(finite)
        low, high = magnitude.min(), magnitude.max()
        self.int_mode = bool(np.all(finite == np.ceil(finite)))
        automatic = high / low > 1000.0 or high > 1.0e8 or low < 1.0e-4
        self.sci_mode = bool(automatic) if OPTIONS.sci_mode is None else OPTIONS.sci_mode
        if self.sci_mode:
            widths = [len(f"{v:.{precision}e}") for v in finite.tolist()]
        elif self.int_mode:
            widths = [len(f"{v:.0f}") + 1 for v in finite.tolist()]  # (+1: the point of `1.`)
        else:
            widths = [len(f"{v:.{precision}f}") for v in finite.tolist()]
        self.max_width = max(widths)

    def format(self, value: Any) -> str:
        if self.floating:
            if self.sci_mode:
                text = f"{value:{self.max_width}.{OPTIONS.precision}e}"
            elif self.int_mode:
                text = f"{value:.0f}"
                if not (math.isinf(value) or math.isnan(value)):
                    text += "."
            else:
                text = f"{value:.{OPTIONS.precision}f}"
        else:
            text = str(value)
        return (self.max_width - len(text)) * " " + text


def _summarized(values: np.ndarray) -> np.ndarray:
    """Only the edge items of each dimension: what a summarized print shows."""
    if values.ndim == 0:
        return values
    if values.shape[0] > 2 * OPTIONS.edgeitems:
        values = np.concatenate([values[: OPTIONS.edgeitems], values[-OPTIONS.edgeitems :]])
    return np.stack([_summarized(row) for row in values]) if values.ndim > 1 else values


def _vector(values: np.ndarray, indent: int, summarize: bool, formatter: _Formatter) -> str:
    per_line = max(1, int(math.floor((OPTIONS.linewidth - indent) / (formatter.max_width + 2))))
    items = values.tolist()
    if summarize and len(items) > 2 * OPTIONS.edgeitems:
        data = (
            [formatter.format(v) for v in items[: OPTIONS.edgeitems]]
            + [" ..."]
            + [formatter.format(v) for v in items[-OPTIONS.edgeitems :]]
        )
    else:
        data = [formatter.format(v) for v in items]
    lines = [", ".join(data[i : i + per_line]) for i in range(0, len(data), per_line)]
    return "[" + ("," + "\n" + " " * (indent + 1)).join(lines) + "]"


def _nested(values: np.ndarray, indent: int, summarize: bool, formatter: _Formatter) -> str:
    if values.ndim == 0:
        return formatter.format(values.item())
    if values.ndim == 1:
        return _vector(values, indent, summarize, formatter)
    rows = range(values.shape[0])
    if summarize and values.shape[0] > 2 * OPTIONS.edgeitems:
        parts = [_nested(values[i], indent + 1, summarize, formatter) for i in rows[: OPTIONS.edgeitems]]
        parts += ["..."]
        parts += [_nested(values[i], indent + 1, summarize, formatter) for i in rows[-OPTIONS.edgeitems :]]
    else:
        parts = [_nested(values[i], indent + 1, summarize, formatter) for i in rows]
    return "[" + ("," + "\n" * (values.ndim - 1) + " " * (indent + 1)).join(parts) + "]"


def tensor_body(values: np.ndarray, indent: int) -> str:
    """The bracketed numbers, as PyTorch prints them."""
    if values.size == 0:
        return "[]"
    if values.dtype == np.float16:
        values = values.astype(np.float32)
    summarize = values.size > OPTIONS.threshold
    formatter = _Formatter(_summarized(values) if summarize else values)
    return _nested(values, indent, summarize, formatter)


def tensor_repr(tensor: Any, prefix: str = "tensor(") -> str:
    values = backend.to_numpy(tensor._array)
    indent = len(prefix)
    suffixes = []
    if tensor._device.type != "cpu":
        suffixes.append(f"device='{tensor._device}'")
    dtype = tensor.dtype
    if values.size == 0:
        body = "[]"
        if values.ndim != 1:
            suffixes.append(f"size={tuple(values.shape)}")
        if dtype is not dtypes.get_default_dtype():
            suffixes.append(f"dtype={dtype!r}")
    else:
        body = tensor_body(values, indent)
        if dtype not in (dtypes.get_default_dtype(), dtypes.int64, dtypes.bool):
            suffixes.append(f"dtype={dtype!r}")
    if tensor.grad_fn is not None:
        suffixes.append(f"grad_fn=<{tensor.grad_fn.name()}>")
    elif inplace.is_stale_no_grad_view(tensor):
        suffixes.append("grad_fn=<Invalid>")
    elif tensor.requires_grad:
        suffixes.append("requires_grad=True")
    return _add_suffixes(prefix + body, suffixes, indent)


def _add_suffixes(text: str, suffixes: list[str], indent: int) -> str:
    parts = [text]
    last_line_length = len(text) - text.rfind("\n") + 1
    for suffix in suffixes:
        if last_line_length + len(suffix) + 2 > OPTIONS.linewidth:
            parts.append(",\n" + " " * indent + suffix)
            last_line_length = indent + len(suffix)
        else:
            parts.append(", " + suffix)
            last_line_length += len(suffix) + 2
    parts.append(")")
    return "".join(parts)
