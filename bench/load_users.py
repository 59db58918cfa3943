"""Who the load test's simulated users are (bench.locustfile), apart from locust: importing
locust patches threads (gevent), which the Django process that prepares their sessions
(bench.load_test) must not have."""

ORGANISATIONS = [f"network-{number:02d}" for number in range(1, 11)]
# The kinds of simulated user, by the local part of their login.
KINDS = ("caseworker", "programme")


def email_for(kind: str, number: int) -> str:
    """The login of the number-th simulated user of a kind: caseworkers of ten organisations
    in turn, and the partnership's programme coordinator."""
    if kind == "programme":
        return "programme@network.example"
    return f"{kind}@{ORGANISATIONS[number % len(ORGANISATIONS)]}.network.example"
