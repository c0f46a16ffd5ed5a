"""Is this text a chemical formula or a SMILES string? Strict, bounded checks with reasons.

Uploaded cells are hostile until proven otherwise: pymatgen overflows on 'Fe1e400' and silently
drops 'Fe0', and RDKit logs to stderr on every bad SMILES. So a formula is first tokenised here
(real element symbols, balanced brackets, bounded length, nesting and amounts) and only then
handed to pymatgen; a SMILES is length-checked and parsed with RDKit's logs blocked.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable

from pymatgen.core import Composition, Element
from rdkit import Chem, rdBase

FORMULA_MAX_CHARS = 100
FORMULA_MAX_NESTING = 4
FORMULA_MAX_AMOUNT = 1e6
SMILES_MAX_CHARS = 1000

ELEMENT_SYMBOLS = frozenset(Element.__members__)
_FORMULA_TOKEN = re.compile(r"([A-Z][a-z]?)|([(\[])|([)\]])|(\d+(?:\.\d+)?|\.\d+)|(.)", re.S)
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
_CLOSING = {"(": ")", "[": "]"}


def formula_problem(text: str) -> str | None:
    """Why `text` is not a chemical formula (e.g. "'Ox' is not an element symbol"), or None."""
    compact = "".join(text.split())
    if not compact:
        return "it is empty"
    if len(compact) > FORMULA_MAX_CHARS:
        return f"it is longer than {FORMULA_MAX_CHARS} characters"
    if _NUMBER.fullmatch(compact):
        return "it is a number"
    reason = _token_problem(compact)
    if reason:
        return reason
    try:
        Composition(compact)
    except Exception as err:  # pymatgen raises several types; the text is what matters here
        return f"pymatgen cannot read it ({err})"
    return None


def _token_problem(compact: str) -> str | None:
    """Check the formula grammar: element or bracketed group, each optionally with an amount."""
    stack: list[str] = []
    can_take_amount = False
    for match in _FORMULA_TOKEN.finditer(compact):
        symbol, opening, closing, amount, other = match.groups()
        if symbol:
            if symbol not in ELEMENT_SYMBOLS:
                return _unknown_symbol(symbol, compact, match.end())
            can_take_amount = True
        elif opening:
            stack.append(opening)
            if len(stack) > FORMULA_MAX_NESTING:
                return f"brackets are nested more than {FORMULA_MAX_NESTING} deep"
            can_take_amount = False
        elif closing:
            if not stack or _CLOSING[stack.pop()] != closing:
                return f"the bracket '{closing}' does not close an opening one"
            if compact[match.start() - 1] in "([":
                return "it has an empty bracket"
            can_take_amount = True
        elif amount:
            if not can_take_amount:
                return f"the number {amount} does not follow an element or a bracket"
            if float(amount) == 0:
                return "an amount is 0"
            if float(amount) > FORMULA_MAX_AMOUNT:
                return f"the amount {amount} is implausibly large"
            can_take_amount = False
        else:
            return _stray_character(other, compact, match.start())
    if stack:
        return f"the bracket '{stack[-1]}' is never closed"
    return None


def _unknown_symbol(symbol: str, compact: str, end: int) -> str:
    """Name the offending symbol, including a following lowercase letter ('Ox', 'Wat')."""
    tail = re.match(r"[a-z]*", compact[end:]).group(0)
    return f"'{symbol}{tail}' is not an element symbol"


def _stray_character(char: str, compact: str, start: int) -> str:
    if char.islower():
        previous = re.search(r"[A-Z][a-z]*$", compact[:start])
        word = (previous.group(0) if previous else "") + re.match(r"[a-z]*", compact[start:]).group(
            0
        )
        return f"'{word}' is not an element symbol"
    return f"the character '{char}' cannot appear in a formula"


def smiles_problem(text: str) -> str | None:
    """Why `text` is not a SMILES string RDKit can read, or None."""
    if not text:
        return "it is empty"
    if len(text) > SMILES_MAX_CHARS:
        return f"it is longer than {SMILES_MAX_CHARS} characters"
    if any(char.isspace() for char in text):
        return "a SMILES string has no spaces"
    if text.isdigit():
        return "it is a number"
    try:
        with rdBase.BlockLogs():
            molecule = Chem.MolFromSmiles(text)
    except Exception as err:  # RDKit raises a few C++-wrapped types on odd input
        return f"RDKit cannot read it ({err})"
    if molecule is None or molecule.GetNumAtoms() == 0:
        return "RDKit cannot read it"
    return None


def element_count(formula: str) -> int:
    """Number of distinct elements in a formula that passed `formula_problem`."""
    return len(Composition("".join(formula.split())).elements)


def check_all(
    values: Iterable[str], kind: str, max_seconds: float | None = None
) -> dict[str, str | None]:
    """Reason (or None when valid) for each distinct value, checked once as `kind`.

    Raises TimeoutError when checking takes longer than `max_seconds` (hostile or huge input).
    """
    check = formula_problem if kind == "composition" else smiles_problem
    deadline = None if max_seconds is None else time.monotonic() + max_seconds
    reasons: dict[str, str | None] = {}
    for value in dict.fromkeys(values):
        if deadline is not None and time.monotonic() > deadline:
            raise TimeoutError(f"checking {kind} values took over {max_seconds} s")
        reasons[value] = check(value)
    return reasons
