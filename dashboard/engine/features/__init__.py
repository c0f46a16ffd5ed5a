"""Features: chemical formulas, SMILES and numeric columns -> a FeatureMatrix for the models.

`featurize(dataset, cache_dir=None, descriptors=False)` is the entry point; the lower-level
functions featurise plain lists of formulas or SMILES.
"""

from dashboard.engine.features.composition import (
    composition_feature_names,
    composition_features,
)
from dashboard.engine.features.dispatch import featurize, is_cached
from dashboard.engine.features.matrix import FeatureMatrix
from dashboard.engine.features.molecules import ecfp, ecfp_names, rdkit_descriptors

__all__ = [
    "FeatureMatrix",
    "composition_feature_names",
    "composition_features",
    "ecfp",
    "ecfp_names",
    "featurize",
    "is_cached",
    "rdkit_descriptors",
]
