"""Campaigns share one CampaignData per dataset in a server process (dashboard/warm.py), with its
arrays read-only: every model must step, review and go back without writing into them."""

from __future__ import annotations

import numpy as np
import pytest

from dashboard.engine.active_learning.campaign import Campaign
from dashboard.engine.active_learning.config import CampaignConfig
from dashboard.engine.active_learning.pool import CampaignData

_rng = np.random.default_rng(0)
_X = _rng.normal(size=(200, 4))
_Y = _X[:, 0] - _X[:, 1] ** 2 + _rng.normal(scale=0.1, size=200)
_BITS = (_rng.random((200, 32)) < 0.2).astype(float)
_ONEHOT = np.eye(3)[_rng.integers(0, 3, 200)]
FEATURES = {
    "numeric": (_X, {"numeric": slice(0, 4)}),
    "mixed": (np.hstack([_ONEHOT, _X]), {"onehot:c": slice(0, 3), "numeric": slice(3, 7)}),
    "molecules": (np.hstack([_BITS, _X]), {"ecfp": slice(0, 32), "descriptors": slice(32, 36)}),
}
CASES = [
    *(("numeric", m) for m in ("auto", "gp-matern12", "gp-matern52", "gp-ard", "rf")),
    ("mixed", "auto"),
    *(("molecules", m) for m in ("auto", "gp-tanimoto", "gp-tanimoto-rbf", "gp-additive", "rf")),
]


@pytest.mark.parametrize(("kind", "model"), CASES)
def test_a_campaign_never_writes_into_its_data(kind, model):
    features, blocks = FEATURES[kind]
    data = CampaignData.from_arrays(features, _Y, blocks)
    for array in (data.X, data.y, data.valid):
        array.flags.writeable = False  # a write would raise instead of changing shared data
    config = CampaignConfig(dataset_id="x", target="y", model=model, initial_size=15, batch_size=4)
    campaign = Campaign(config, data)
    campaign.run(2)
    campaign.snapshot(1)
    campaign.pool_map()
    campaign.back()
    assert campaign.step_index == 1 and np.array_equal(data.X, features)
