"""Which column is what: detect the roles of a table's columns (the user confirms or edits them).

Detection, in words a user can check:
- structure columns are text columns whose values are mostly chemical formulas or SMILES (the
  name is a strong hint); all of one kind, e.g. one SMILES column per reaction component;
- the id is a column named like one (id, name, entry, index, ...), a column of running numbers or
  a text column of unique values; other id-like and bookkeeping columns (priority, batch) stay
  unused, with the reason;
- targets are read from the right: the trailing numeric columns that are named like an outcome
  (yield, ee, gap, score, ...) or hold PENDING marks; when none is, the last numeric column;
- every other numeric column is an input (temperature, concentration, descriptors), and so is
  every other text column with at most MAX_LABELS distinct, repeated labels (categorical: a base,
  a ligand, a solvent).
Checking a chosen set of roles is `result.apply_roles`.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

from dashboard.engine.data.dataset import StructureKind
from dashboard.engine.data.upload.names import UNIT, is_outcome, norm
from dashboard.engine.data.upload.structures import (
    element_count,
    formula_problem,
    smiles_problem,
)
from dashboard.engine.data.upload.table import is_numeric_column

MIN_ROWS = 5
MAX_LABELS = 50
"""At most this many distinct labels make a categorical input: each label becomes one model input,
and with more labels than this most are seen in a handful of rows, too few to learn from (a
campaign of 100 experiments measures each of 50 labels about twice)."""
STRUCTURE_SHARE = 0.8
HINTED_STRUCTURE_SHARE = 0.5
FILLED_SHARE = 0.5
SAMPLE_VALUES = 100
FIRST_LOOK = 20
"""A column is sampled further only if half of its first distinct values are structures."""
STRUCTURE_NOUNS = {"composition": "a chemical formula", "smiles": "a valid SMILES string"}

_COMPOSITION_NAMES = {"compound", "material", "materials", "comp", "chemical"}
_ID_NAMES = {
    "id",
    "entry",
    "new_index",
    "name",
    "names",
    "sample",
    "sample_name",
    "compound_name",
    "mol_name",
    "identifier",
    "key",
    "index",
    "no",
    "unnamed_0",
    "iupac",
    "iupac_name",
    "cas",
}
_TARGET_NAMES = {"y", "label", "property", "output", "response", "objective", "value", "y_true"}
_BOOKKEEPING_NAMES = {"priority", "batch", "round", "iteration", "step", "rank", "order"}
_INDEX_NAME = re.compile(
    r"|index|id|no|row|unnamed_\d+|column_1|(run|experiment|exp|trial)(_no|_number)?"
)


@dataclass
class Roles:
    """The role of each used column; columns in no role stay in the frame, unused."""

    structure_column: str | None = None
    structure_kind: StructureKind = "none"
    feature_columns: list[str] = field(default_factory=list)
    target_columns: list[str] = field(default_factory=list)
    id_column: str | None = None
    units: dict[str, str] = field(default_factory=dict)
    structure_columns: list[str] = field(default_factory=list)
    categorical_columns: list[str] = field(default_factory=list)
    unused: dict[str, str] = field(default_factory=dict)
    """Why detection left a column out (column -> reason), shown as warnings."""

    def __post_init__(self) -> None:
        if self.structure_column and not self.structure_columns:
            self.structure_columns = [self.structure_column]
        if self.structure_columns:
            self.structure_column = self.structure_columns[0]

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Roles:
        return cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data})


ROLE_LISTS = ("structure_columns", "categorical_columns", "feature_columns", "target_columns")


def edit_roles(roles: Roles, **given: list[str] | str | None) -> Roles:
    """`roles` with some roles given by the user (e.g. from `check --categorical base,ligand`):
    a given role replaces the detected one, and its columns leave every role not given, so that
    naming `temperature` an input takes it out of the targets. Columns given two roles keep both
    (then `apply_roles` says so). `structure_kind` and `id_column` may be given too."""
    lists = {name: list(getattr(roles, name)) for name in ROLE_LISTS}
    named = {c for name in ROLE_LISTS if given.get(name) is not None for c in given[name]}
    if given.get("id_column"):
        named.add(given["id_column"])
    for name in ROLE_LISTS:
        if given.get(name) is not None:
            lists[name] = list(given[name])
        else:
            lists[name] = [c for c in lists[name] if c not in named]
    id_column = given.get("id_column") or (None if roles.id_column in named else roles.id_column)
    kind = given.get("structure_kind") or (
        roles.structure_kind if lists["structure_columns"] else "none"
    )
    unused = {c: why for c, why in roles.unused.items() if c not in named}
    return Roles(
        lists["structure_columns"][0] if lists["structure_columns"] else None,
        kind,
        lists["feature_columns"],
        lists["target_columns"],
        id_column,
        roles.units,
        lists["structure_columns"],
        lists["categorical_columns"],
        unused,
    )


def detect_roles(frame: pd.DataFrame) -> Roles:
    """Guess the roles of the columns of a typed table (see the module docstring)."""
    columns = [str(c) for c in frame.columns]
    numeric = [c for c in columns if is_numeric_column(frame[c])]
    text = [c for c in columns if c not in numeric]
    structures, kind = _find_structures(frame, text)
    ids = _id_columns(frame, columns, numeric, text, structures)
    id_column = ids[0] if ids else None
    unused = {c: "an id or running number, not something to learn from" for c in ids[1:]}
    unused |= {c: "campaign bookkeeping, not an input" for c in numeric if _bookkeeping(c)}
    usable = [c for c in numeric if c not in ids and c not in unused]
    targets = _targets(frame, usable)
    sparse = [c for c in usable if c not in targets and frame[c].notna().mean() < FILLED_SHARE]
    unused |= {
        c: "it is empty" if frame[c].isna().all() else "more than half of its cells are empty"
        for c in sparse
    }
    features = [c for c in usable if c not in targets and c not in sparse]
    categorical = []
    for column in text:
        if column in structures or column in ids:
            continue
        reason = label_problem(frame[column]) or _names_of(frame, column, structures)
        if reason:
            unused[column] = reason
        else:
            categorical.append(column)
    units = {c: m.group(1) for c in targets + features if (m := UNIT.search(c))}
    return Roles(
        structures[0] if structures else None,
        kind,
        features,
        targets,
        id_column,
        units,
        structures,
        categorical,
        unused,
    )


def label_problem(values: pd.Series) -> str | None:
    """Why a column cannot be a categorical input (too many labels, none repeated), or None."""
    labels = values.dropna().nunique()
    if labels > MAX_LABELS:
        return (
            f"it has {labels:,} distinct labels; a categorical input may have at most "
            f"{MAX_LABELS} (each label is one model input and needs repeated rows to learn from)"
        )
    if labels >= values.notna().sum() and labels > 1:
        return "every row has its own label, so there is nothing to compare rows by"
    if labels == 0:
        return "it is empty"
    return None if labels > 1 else "it holds one label only"


def _names_of(frame: pd.DataFrame, column: str, structures: list[str]) -> str | None:
    """Why a label column is left out when it only names the structures of another column, or
    None. The structure column is the same choice with more in it (its molecules' descriptors),
    and counted twice the choice would weigh double in a model of the design space."""
    structure = named_structure(frame, column, structures)
    if structure is None:
        return None
    return f"it names the structures of '{structure}' (one label each), which is the input"


def named_structure(frame: pd.DataFrame, column: str, structures: list[str]) -> str | None:
    """The structure column whose molecules (or formulas) a label column names, one name each
    (ligand beside ligand_smiles), or None."""
    labels = frame[column]
    for structure in structures:
        both = labels.notna() & frame[structure].notna()
        if not both.any() or (labels.notna() != frame[structure].notna()).any():
            continue
        pairs = frame.loc[both, [column, structure]].drop_duplicates()
        if pairs[column].is_unique and pairs[structure].is_unique:
            return structure
    return None


def _targets(frame: pd.DataFrame, usable: list[str]) -> list[str]:
    """Columns named like a target ('y', 'target_1') wherever they are; else the trailing
    outcome-named or PENDING-marked columns; else every outcome-named one; else the last."""
    named = [c for c in usable if _target_named(c)]
    if named:
        return named
    trailing = []
    for column in reversed(usable):
        if not (is_outcome(column) or _pending(frame[column])):
            break
        trailing.insert(0, column)
    filled = [c for c in usable if frame[c].notna().mean() >= FILLED_SHARE]
    return trailing or [c for c in usable if is_outcome(c)] or filled[-1:]


def _target_named(name: str) -> bool:
    normal = norm(name)
    return normal in _TARGET_NAMES or normal.startswith("target")


def _pending(values: pd.Series) -> bool:
    """Whether a numeric column has cells not measured yet (most of them empty, as in a campaign
    file whose PENDING marks were read as missing) and some that were: a column with no value
    at all is a target only when named like an outcome (a campaign's empty yield column, not
    an empty comment column)."""
    return bool(values.notna().any()) and values.isna().mean() >= FILLED_SHARE


def _bookkeeping(name: str) -> bool:
    return norm(name) in _BOOKKEEPING_NAMES


def _id_columns(
    frame: pd.DataFrame,
    columns: list[str],
    numeric: list[str],
    text: list[str],
    structures: list[str],
) -> list[str]:
    """Id-like columns, the best first: named like an id, running numbers, unique text."""
    named = [c for c in columns if norm(c) in _ID_NAMES and c not in structures]
    named = [c for c in named if c in text or _unique_integers(frame[c])]
    running = [c for c in numeric if c not in named and _running_numbers(frame[c], c)]
    unique = _unique_text_column(frame, text, structures)
    return list(dict.fromkeys([*named, *running, *([unique] if unique else [])]))


def _unique_integers(values: pd.Series) -> bool:
    """Distinct whole numbers in at least FILLED_SHARE of the cells, the others empty: a run
    number left blank in one row keeps its column the id (it became a numeric input, which the
    model then learnt from, and its row was left out for the missing input)."""
    present = values.dropna()
    numbers = present.to_numpy(dtype=float)
    whole = np.isfinite(numbers).all() and np.array_equal(numbers, np.round(numbers))
    filled = len(present) >= FILLED_SHARE * len(values)
    return bool(whole and filled and present.is_unique and len(present) > 1)


def _running_numbers(values: pd.Series, name: str) -> bool:
    """Unique integers under an index-like name ('Unnamed: 0', 'row', 'entry')."""
    return bool(_INDEX_NAME.fullmatch(norm(name))) and _unique_integers(values)


def _structure_hint(name: str) -> str | None:
    """'composition' or 'smiles' when the column name says so."""
    normal = norm(name)
    if "smiles" in normal:
        return "smiles"
    if "formula" in normal or "composition" in normal or normal in _COMPOSITION_NAMES:
        return "composition"
    return None


def _find_structures(frame: pd.DataFrame, text_columns: list[str]) -> tuple[list[str], str]:
    """The text columns that read as formulas or SMILES, best first, all of the best one's kind."""
    found = []
    for column in text_columns:
        values = [str(v) for v in dict.fromkeys(frame[column].dropna())][:SAMPLE_VALUES]
        if not values or max(_shares(values[:FIRST_LOOK]).values()) < HINTED_STRUCTURE_SHARE:
            continue
        shares = _shares(values)
        kind = _structure_kind(column, values, shares, frame[column])
        if kind is not None:
            found.append(((_structure_hint(column) is not None, shares[kind]), column, kind))
    if not found:
        return [], "none"
    kind = max(found, key=lambda f: f[0])[2]
    same = [f for f in found if f[2] == kind]
    best = max(same, key=lambda f: f[0])[1]
    return [best] + [f[1] for f in same if f[1] != best], kind


def _shares(values: list[str]) -> dict[str, float]:
    """Share of the values that are valid formulas, and valid SMILES."""
    return {
        "composition": sum(formula_problem(v) is None for v in values) / len(values),
        "smiles": sum(smiles_problem(v) is None for v in values) / len(values),
    }


def _structure_kind(
    column: str, values: list[str], shares: dict[str, float], cells: pd.Series
) -> str | None:
    """The kind of structure a column's distinct `values` read as, or None. Unless its name
    says so, a column some of whose labels are not structures but which reads as a set of
    choices (a few labels, repeated) is choices: a base column of K2CO3, Cs2CO3, DBU and
    NaOtBu would otherwise read DBU as deuterium, boron and uranium and drop every NaOtBu row."""
    hint = _structure_hint(column)
    if hint and shares[hint] >= HINTED_STRUCTURE_SHARE:
        return hint
    if norm(column) in _ID_NAMES:
        return None
    if max(shares.values()) < 1.0 and label_problem(cells) is None:
        return None
    kind = max(shares, key=shares.get)
    if shares["composition"] == shares["smiles"]:
        kind = "smiles" if any(_repeats_element(v) for v in values) else "composition"
    if shares[kind] < STRUCTURE_SHARE:
        return None
    if kind == "composition" and not hint and _single_elements(values):
        return None
    return kind


def _repeats_element(value: str) -> bool:
    """'CCO' names carbon twice: read as SMILES (ethanol), not as the formula C2O."""
    symbols = re.findall(r"[A-Z][a-z]?", value)
    return len(symbols) != len(set(symbols))


def _single_elements(values: list[str]) -> bool:
    """Codes like 'S1', 'C2' parse as formulas of one element; without a hint they are not."""
    return all(element_count(v) <= 1 for v in values if formula_problem(v) is None)


def _unique_text_column(frame: pd.DataFrame, text: list[str], structures: list[str]) -> str | None:
    for column in text:
        values = frame[column]
        if column not in structures and values.notna().all() and values.is_unique:
            return column
    return None
