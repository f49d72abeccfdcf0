"""A Python client's own checkpoint, the twin of ``fedhpd join``'s: written after every completed episode (its
returns delivered, the episode's distillation event, if any, digested), so that ``join(..., resume=True)`` (``python -m
fedhpd_client join ... --out DIR --resume``) restores the agents and re-attaches to the session the server gave the
client, and the agents continue exactly as if never interrupted.

A checkpoint is one ``torch.save`` file, ``<folder>/checkpoint-<episode, 8 digits>.pt``, written to a temporary file
in the same folder and renamed over the final name (atomic: a crash leaves the previous checkpoint or the new one,
never half a file); the two newest are kept. It holds the session id, the server's schedule (serialized), the hosted
places, the episodes done, the digestion bookkeeping and every agent's ``state_dict()`` (for ``ReinforceAgent``: model,
optimiser and scheduler states, its sampling generator's and its environment's random states).
"""
from __future__ import annotations

import glob
import os
import tempfile
from typing import Any, Callable, Dict, List, Optional

from .errors import ConfigurationError

#: Bumped when the layout changes; a checkpoint of another version is refused.
VERSION = 1


def folder_for(root: str, numbers: Optional[List[int]], places: int) -> str:
    """The checkpoint folder of a client under ``root`` (its ``--out``): named after its 1-based places, or after the
    number of places the server assigns (give each such client its own ``--out``)."""
    name = "agents-" + "-".join(str(number) for number in numbers) if numbers else f"assigned-{places}"
    return os.path.join(root, "client-checkpoints", name)


def files(folder: str) -> List[str]:
    """The checkpoint files in ``folder``, newest first."""
    return sorted(glob.glob(os.path.join(folder, "checkpoint-*.pt")), reverse=True)


def write(folder: str, episode: int, content: Dict[str, Any]) -> str:
    """Writes ``content`` (plus the version) as the checkpoint after ``episode``, atomically; prunes all but the two
    newest. Returns the file."""
    import torch

    os.makedirs(folder, exist_ok=True)
    final = os.path.join(folder, f"checkpoint-{episode:08d}.pt")
    handle, temporary = tempfile.mkstemp(prefix=".checkpoint-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "wb") as file:
            torch.save(dict(content, version=VERSION), file)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, final)
    except BaseException:
        if os.path.exists(temporary):
            os.remove(temporary)
        raise
    for old in files(folder)[2:]:
        os.remove(old)
    return final


def newest(folder: str, warn: Callable[[str], None]) -> Dict[str, Any]:
    """The newest readable checkpoint in ``folder`` (a damaged newer one is reported through ``warn`` and the previous
    one used). Raises ``ConfigurationError`` when there is none."""
    import torch

    for path in files(folder):
        try:
            content = torch.load(path, weights_only=False)
            if not isinstance(content, dict) or content.get("version") != VERSION:
                raise ValueError(f"not a version {VERSION} client checkpoint")
            content["path"] = path
            return content
        except Exception as error:  # a torn or foreign file: fall back to the previous checkpoint
            warn(f"warning: {path}: {error}; trying the previous checkpoint")
    raise ConfigurationError(f"--resume: no usable checkpoint in {folder} (this client has not completed an episode there)")
