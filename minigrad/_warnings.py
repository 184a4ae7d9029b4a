"""
Warnings that name the user's line, however deep inside minigrad they are raised: the
stacklevel is found by walking out of minigrad's own frames, rather than counted by hand for
one call path (x[key] and x[key] = v, F.softmax and x.softmax reach the same code by paths of
different depths).
"""

from __future__ import annotations

import sys
import warnings


def warn_at_caller(message: str, category: type[Warning] = UserWarning) -> None:
    """warnings.warn(message), attributed to the first frame outside minigrad."""
    frame, level = sys._getframe(1), 1
    while frame is not None and frame.f_globals.get("__name__", "").partition(".")[0] == "minigrad":
        frame, level = frame.f_back, level + 1
    warnings.warn(message, category, stacklevel=level + 1)
