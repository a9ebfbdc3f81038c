"""Every page a role lands on passes axe-core with no serious or critical violation (issue 13).

The pages of later capabilities call ``assert_accessible`` in their own browser tests; this file walks the
landing pages of each role, on a phone for the party and the grid worker and on a desktop for the rest.
"""

from __future__ import annotations

import pytest

from suyuan.testing.factories import PASSWORD

from .accessibility import assert_accessible
from .conftest import DESKTOP, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, base: str, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()


def test_sign_in_page_is_accessible(new_page, live_server, world):
    for viewport, label in ((PHONE, "phone"), (DESKTOP, "desktop")):
        page = new_page(viewport)
        page.goto(f"{live_server.url}/accounts/login/")
        assert_accessible(page, f"login-{label}")


@pytest.mark.parametrize(
    ("username", "viewport", "paths"),
    [
        ("party1", PHONE, ["/disputes/"]),
        ("grid1", PHONE, ["/disputes/", "/disputes/new/"]),
        ("clerk1", DESKTOP, ["/disputes/"]),
        ("judge1", DESKTOP, ["/disputes/"]),
        ("mediator1", DESKTOP, ["/disputes/"]),
        ("leader1", DESKTOP, ["/governance/"]),
    ],
)
def test_each_roles_landing_pages_are_accessible(new_page, live_server, world, username, viewport, paths):
    page = new_page(viewport)
    _sign_in(page, live_server.url, username)
    for path in paths:
        page.goto(f"{live_server.url}{path}")
        assert_accessible(page, f"{username}{path.replace('/', '-').rstrip('-')}")


def test_the_check_fails_on_a_page_with_a_serious_violation(new_page, live_server):
    """The checker itself: an image without a text alternative and an unlabelled field must fail it."""
    page = new_page(DESKTOP)
    page.goto(f"{live_server.url}/accounts/login/")
    page.evaluate(
        "() => { const m = document.querySelector('main') || document.body;"
        " m.insertAdjacentHTML('beforeend', '<img src=\"/static/none.png\"><input type=\"text\">'); }"
    )
    with pytest.raises(AssertionError, match=r"image-alt|label"):
        assert_accessible(page, "self-test-broken-page", record=False)
