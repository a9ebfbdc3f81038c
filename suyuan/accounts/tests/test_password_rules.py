"""R8: password rules are Django's validators, explained in Chinese."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from suyuan.testing.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("password", "expected"), [
    ("Ab3$xyz", "至少要包含 10 个字符"),
    ("1234567890123", "只包含数字"),
    ("password1234", "太常见"),
])
def test_weak_passwords_are_refused_in_chinese(password, expected):
    with pytest.raises(ValidationError) as caught:
        validate_password(password)
    text = " ".join(caught.value.messages)
    assert expected in text, text


def test_a_password_like_the_user_name_is_refused(world):
    with pytest.raises(ValidationError) as caught:
        validate_password("judge1abc1", user=world.judge)
    assert "相似" in " ".join(caught.value.messages)


def test_the_test_accounts_password_passes():
    validate_password(PASSWORD)
