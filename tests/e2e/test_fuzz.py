"""Fuzz every operation of every service's OpenAPI with schemathesis against the running services:
no 5xx, every response matches its documented status codes, content type and schema."""

from collections import Counter

import pytest
import schemathesis
from schemathesis.specs.openapi.checks import positive_data_acceptance
from hypothesis import HealthCheck, Phase, given, settings

from shared.auth import ROLES
from shared.cli import SERVICES
from tests.conftest import token
from tests.support import tally

pytestmark = pytest.mark.e2e
EXAMPLES_PER_OPERATION = 25
TALLY: Counter = Counter()


@pytest.mark.parametrize("service", list(SERVICES))
def test_no_operation_fails_or_breaks_its_contract_under_generated_input(fullstack, service):
    schema = schemathesis.openapi.from_url(fullstack.base(service) + "/openapi.json")
    headers = {"Authorization": f"Bearer {token(*ROLES, sub='198001012005011001', nip='198001012005011001')}"}
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None, derandomize=True,
                  phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def run(case):
            response = case.call(headers=headers, timeout=15)
            TALLY[(service, response.status_code // 100)] += 1
            problem = "application/problem+json" in response.headers.get("content-type", [])  # list values
            tally.count("fuzzing schemathesis", response.status_code, problem)
            assert response.status_code < 400 or problem, f"{response.status_code} without problem+json"
            # Schema-valid is not domain-valid (a NIK's birth date, a region code): a 422 there is right.
            case.validate_response(response, excluded_checks=[positive_data_acceptance])

        try:
            run()
        except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - gather every failure, then fail once
            failures.append(f"{operation.label}: {str(exc)[:1500]}")
    print(f"\n{service}: {operations} operations fuzzed; responses by class: "
          f"{ {f'{k}xx': v for (s, k), v in sorted(TALLY.items()) if s == service} }")
    assert operations > 0
    assert TALLY[(service, 5)] == 0 or failures
    assert not failures, "\n\n".join(failures)
