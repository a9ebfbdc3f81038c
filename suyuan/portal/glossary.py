"""The plain explanations of legal terms for parties (``glossary.toml``), read once and reused.

A page asks ``explain("司法确认")`` (or ``terms_in(text)``) and shows the sentence where the term is
first used, so a party never meets a legal word without its meaning.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

GLOSSARY = Path(__file__).with_name("glossary.toml")


@dataclass(frozen=True)
class Term:
    term: str
    text: str
    source: str = ""


@cache
def terms() -> dict[str, Term]:
    data = tomllib.loads(GLOSSARY.read_text(encoding="utf-8"))
    return {name: Term(name, entry["text"], entry.get("source", "")) for name, entry in data["terms"].items()}


def explain(term: str) -> Term:
    """The explanation of ``term``; a KeyError is a programming error (a page naming an unknown term)."""
    return terms()[term]


def terms_in(*texts: str) -> list[Term]:
    """The glossary terms that occur in ``texts``, in glossary order, each once (longest match wins:
    "调解协议" hides "调解" only when "调解" does not occur on its own)."""
    joined = "\n".join(texts)
    found = []
    for name, term in terms().items():
        rest = joined
        for longer in terms():
            if longer != name and name in longer:
                rest = rest.replace(longer, "")
        if name in rest:
            found.append(term)
    return found
