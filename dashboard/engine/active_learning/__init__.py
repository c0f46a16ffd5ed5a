"""Active learning: goals, acquisition functions, kernels and surrogates with uncertainty, initial
designs, and the campaign that steps through them (config, pool, metrics, snapshots, saved files)."""
