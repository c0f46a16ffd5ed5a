"""How many OpenMP threads a job gets: the host's cores shared among the jobs that may run."""

import pytest

from dashboard.job_slots import openmp_threads
from dashboard.settings import Settings


@pytest.mark.parametrize(("cores", "jobs", "threads"), [(2, 2, 1), (2, 1, 2), (8, 2, 4), (2, 4, 1)])
def test_each_job_gets_its_share_of_the_cores_for_openmp(cores, jobs, threads):
    assert openmp_threads(Settings(max_jobs=jobs), cores) == threads
