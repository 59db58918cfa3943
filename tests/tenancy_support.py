import uuid
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ObjectUrl:
    """How to point a URL at another organisation's record, and at one that does not exist.

    ``theirs(world)`` and ``missing(world)`` return the URL's keyword arguments.
    """

    theirs: callable
    missing: callable
    # Partnership-wide roles that may legitimately open another organisation's record here.
    visible_to: frozenset = field(default_factory=frozenset)


def missing_uuid(name):
    """Keyword arguments naming a record that does not exist, by its public id."""
    return lambda world: {name: uuid.uuid4()}
