"""`python -m dashboard bench featurize` prints rates, ratios and the agreement checks."""

from __future__ import annotations

from dashboard.cli import featurize as bench
from dashboard.cli import main


def test_bench_featurize_reports_rates_ratios_and_agreement(capsys):
    args = ["bench", "featurize", "--n-compositions", "300", "--n-smiles", "200"]
    assert main([*args, "--matminer-sample", "20", "--n-descriptors", "0"]) == 0
    out = capsys.readouterr().out
    assert out.count("ratio") == 2
    assert "compositions: 300 formulas" in out and "SMILES: 200 from the built-in qm9" in out
    assert "same values as matminer (rtol 1e-6): 20 of 20 rows" in out
    assert "identical bits: yes" in out


def test_without_shared_data_the_bench_says_it_repeats_the_built_in_formulas(monkeypatch, tmp_path):
    monkeypatch.setattr(bench, "MP_GAP", tmp_path / "absent.csv")
    formulas, source = bench.real_formulas(10_000)
    assert len(formulas) == 10_000
    assert "absent: the built-in expt-gap formulas" in source and "repeated" in source


def test_bench_featurize_projects_the_descriptor_time_onto_10000_molecules(capsys):
    args = ["bench", "featurize", "--n-compositions", "50", "--n-smiles", "100"]
    assert main([*args, "--matminer-sample", "5", "--n-descriptors", "100"]) == 0
    out = capsys.readouterr().out
    assert "RDKit 2-D descriptors (option)" in out and "s for 100; " in out
    assert "target    10,000 in < 10 s:" in out
