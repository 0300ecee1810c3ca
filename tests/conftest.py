"""Shared fixtures: the Debian kernel and busybox that every guest-boot test needs, fetched once."""
import os
import subprocess

import pytest

from qboot_tables import guest

FETCH_ASSETS = os.path.join(guest.REPO, "tools", "fetch-guest-assets")


@pytest.fixture(scope="session")
def guest_assets():
    """`make test` fetches them first; a direct pytest run fetches them here, and skips only if it cannot."""
    if not guest.assets_present():
        done = subprocess.run([FETCH_ASSETS], capture_output=True, text=True)
        if done.returncode != 0 or not guest.assets_present():
            pytest.skip("no kernel/busybox in .cache/guest and tools/fetch-guest-assets could not fetch them: "
                        + (done.stderr.strip()[-300:] or f"exit {done.returncode}"))
    return guest.DEFAULT_ASSETS
