import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError


@pytest.mark.parametrize(
    ("password", "accepted"),
    [
        ("eleven char", False),  # 11 characters
        ("twelve chars", True),  # 12, lower-case letters only: no composition rules
        ("ALLCAPSPASSPHRASE", True),
        ("password1234", False),  # on the list of common passwords
        ("1q2w3e4r5t6y", False),
        ("mountain river stone", True),
    ],
)
def test_passwords_need_twelve_characters_and_must_not_be_common(password, accepted):
    try:
        validate_password(password)
    except ValidationError:
        refused = True
    else:
        refused = False

    assert refused is not accepted
