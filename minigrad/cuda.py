"""minigrad.cuda, as torch.cuda: whether CuPy and an NVIDIA GPU are present, and seeding."""

from __future__ import annotations

from minigrad import backend, random


def is_available() -> bool:
    """True when CuPy is installed and sees at least one GPU (`pip install minigrad[gpu]`)."""
    return backend.cuda_device_count() > 0


def device_count() -> int:
    return backend.cuda_device_count()


def manual_seed(seed: int) -> None:
    """Seed minigrad's random numbers (one generator serves every device)."""
    random.manual_seed(seed)


def manual_seed_all(seed: int) -> None:
    random.manual_seed(seed)
