from tests.cases.conftest import (  # noqa: F401
    ijm,
    ijm_caseworker,
    person,
    reference_data,
    referral,
)
