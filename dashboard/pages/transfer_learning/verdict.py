"""One honest sentence on whether the transfer helped, derived from the run and its learning curve
(and, under fine-tuning, which numbers a switch of target model moves).

The curve's points are means over repeats on other draws of the rows, so its change at the run's
size need not be the run's own: the sentence says 'on average' where it names one.

A change of the test MAE smaller than SAME_WITHIN of the baseline's counts as no change: the
spread between repeats of a small training set is of that order.
"""

from __future__ import annotations

SAME_WITHIN = 0.03
APPROACH_WORDS = {"lv": "the latent variable", "ft": "fine-tuning"}


def change_words(baseline: float, transfer: float, unit: str) -> str:
    """'lowers the test error from 1.35 to 1.09 kcal/mol (−19 %)' or the like."""
    change = (transfer - baseline) / baseline if baseline else 0.0
    values = f"from {baseline:.3f} to {transfer:.3f}{' ' + unit if unit else ''}"
    if abs(change) < SAME_WITHIN:
        return f"leaves the test error about the same ({values})"
    verb = "lowers" if change < 0 else "raises"
    return f"{verb} the test error {values} ({_percent(change)})"


def run_sentence(result: dict) -> str:
    """What the transfer did in this run, on the rows it was trained on."""
    rows = f"{result['n_train']:,} of the {result['n_train_all']:,} target training rows"
    if result["n_train"] == result["n_train_all"]:
        rows = f"all {result['n_train_all']:,} target training rows"
    what = APPROACH_WORDS[result["approach"]]
    change = change_words(result["baseline"]["mae"], result["transfer"]["mae"], result["unit"])
    return f"Trained on {rows}, {what} {change}."


def curve_sentence(result: dict) -> str:
    """Where the learning curve says the transfer helps and where it does not; '' without one."""
    curve = result.get("learning_curve")
    if not curve:
        return ""
    baseline = curve["mae"]["baseline"]["mean"]
    transfer = curve["mae"][result["approach"]]["mean"]
    sizes = curve["n_train"]
    changes = [(t - b) / b if b else 0.0 for b, t in zip(baseline, transfer, strict=True)]
    helps = [c < -SAME_WITHIN for c in changes]
    best = min(range(len(sizes)), key=lambda i: changes[i])
    most = f"most with {sizes[best]:,} rows ({_percent(changes[best])} on average)"
    if all(helps):
        return (
            f"The learning curve shows it helping at every size tried, from {sizes[0]:,} to "
            f"{sizes[-1]:,} target rows, {most}."
        )
    if not any(helps):
        worst = max(range(len(sizes)), key=lambda i: changes[i])
        if changes[worst] > SAME_WITHIN:
            return (
                "The learning curve shows no size at which it helps on this pair; with "
                f"{sizes[worst]:,} rows it does worse ({_percent(changes[worst])})."
            )
        return "The learning curve shows no clear difference at any size tried."
    good = _and([f"{n:,}" for n, ok in zip(sizes, helps, strict=True) if ok])
    sentence = f"The learning curve shows it helping with {good} target rows, {most}"
    if changes[-1] > SAME_WITHIN:
        sentence += (
            f"; with all {sizes[-1]:,} it does worse than the target alone "
            f"({_percent(changes[-1])})"
        )
    elif not helps[-1]:
        sentence += f"; with all {sizes[-1]:,} the target alone does as well"
    return sentence + "."


def _and(words: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _percent(change: float) -> str:
    return f"{change:+.0%}".replace("-", "−")


def model_sentence(result: dict) -> str:
    """Under fine-tuning, that a switch of target model moves only the baseline (fine-tuning
    boosts on from the source's value, with no target model): the switch changed the grey
    numbers and plots and left the purple ones, which read as if it had not taken. '' for LV."""
    if result["approach"] != "ft":
        return ""
    return (
        f"Fine-tuning does not use the target model ({result['model']}): a change of it moves "
        "only the no-transfer baseline."
    )


def verdict(result: dict) -> str:
    """The run's sentence, the curve's and, under fine-tuning, the target model's, as one
    paragraph."""
    sentences = (run_sentence(result), curve_sentence(result), model_sentence(result))
    return " ".join(part for part in sentences if part)
