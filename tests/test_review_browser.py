"""The review app in a real browser (Selenium and the system's Chromium): a reviewer fixes a shifted
stretch of the bundled interview with the keyboard, and the store and its TMX end up holding the gold."""

from __future__ import annotations

import os
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from conftest import STEM
from test_review import GOLD_PAIRS, break_two_beads, build_interview_store, pairs_of

from aligner.formats import read_path
from aligner.review.operations import CONFIRMED, EDITED, load_state
from aligner.store import connect, export_store

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
XSS = '<script>window.hacked = 1</script> "><img src=x onerror="window.hacked = 2">'
# The README's picture: the test writes it there only when asked, so a test run leaves the tree as it was.
SCREENSHOT = os.environ.get("ALIGNER_REVIEW_SCREENSHOT")  # e.g. docs/review.png

pytestmark = [
    pytest.mark.skipif(not (os.access(CHROMIUM, os.X_OK) and os.access(CHROMEDRIVER, os.X_OK)),
                       reason="needs Debian's chromium and chromium-driver (.ci/run installs them)"),
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (the test extra)")
    from selenium.webdriver.chrome.service import Service

    # Selenium Manager must never download a browser or a driver: both are the system's.
    offline = os.environ.get("SE_OFFLINE")
    os.environ["SE_OFFLINE"] = "true"
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1400,900", "--hide-scrollbars", "--force-device-scale-factor=1", "--lang=en-US"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_window_size(1400, 900)
    yield driver
    driver.quit()
    if offline is None:
        del os.environ["SE_OFFLINE"]
    else:
        os.environ["SE_OFFLINE"] = offline


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    pytest.importorskip("flask", reason="the review extra is not installed")
    from aligner.review import create_app, make_server, new_token

    # A sentence pair carries markup that must show as text, never run.
    store = build_interview_store(tmp_path, edit={5: XSS})
    with closing(connect(store)) as connection:
        assert pairs_of(load_state(connection, 1)) == GOLD_PAIRS  # the aligner itself gets the gold here
    token = new_token()
    server = make_server(create_app(store, token), "127.0.0.1", 0)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield store, f"http://127.0.0.1:{server.effective_port}/?token={token}"
    server.close()


def wait_for(driver: Any, condition: Any, timeout: float = 30) -> Any:
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.support.ui import WebDriverWait

    # The page redraws after every change: an element found just before may be gone.
    return WebDriverWait(driver, timeout, ignored_exceptions=(StaleElementReferenceException,)).until(condition)


def open_at(driver: Any, base: str, unit: int) -> None:
    """Open the document at bead ``unit`` and wait until it is the current bead."""
    driver.get(f"{base}#/doc/1?unit={unit}")
    wait_for(driver, lambda d: d.find_element("css selector", ".bead.current").get_attribute("data-unit") == str(unit))


def status_says(driver: Any, words: str) -> Any:
    return wait_for(driver, lambda d: words in d.find_element("id", "status").text)


def press(driver: Any, keys: str) -> None:
    driver.find_element("tag name", "body").send_keys(keys)


def bead(driver: Any, unit: int) -> Any:
    return driver.find_element("id", f"bead-{unit}")


def test_a_reviewer_fixes_a_shifted_stretch_with_the_keyboard(browser: Any, served: tuple[Path, str],
                                                              tmp_path: Path) -> None:
    store, url = served
    base = url.split("?")[0]
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(base + "api/documents", timeout=10)
    assert refused.value.code == 403
    with closing(connect(store)) as connection:
        unit = break_two_beads(connection)

    browser.get(url)
    wait_for(browser, lambda d: d.find_elements("css selector", "table.documents tr[data-id]"))
    assert "?token" not in browser.current_url  # the token left the address bar for a cookie
    assert f"0 / {len(GOLD_PAIRS) - 1}" in browser.find_element("css selector", "tr[data-id='1']").text
    assert browser.find_elements("css selector", "svg.path line.low")  # the shifted stretch shows in the path

    open_at(browser, base, unit - 1)
    press(browser, "n")  # the next bead that needs attention: the first of the shifted ones
    wait_for(browser, lambda d: d.find_element("css selector", ".bead.current").get_attribute("data-unit") == str(unit))
    assert bead(browser, unit).find_element("css selector", ".meta").text.split()[1] == "1-2"
    press(browser, "l")  # the target side
    press(browser, "J")  # its last sentence down into the next bead
    status_says(browser, "moved down")
    assert bead(browser, unit).get_attribute("data-status") == EDITED
    assert bead(browser, unit).find_element("css selector", ".meta").text.split()[1] == "1-1"
    press(browser, "k")
    press(browser, "c")  # the bead above was right: confirmed
    status_says(browser, "confirmed")
    assert bead(browser, unit - 1).get_attribute("data-status") == CONFIRMED
    with closing(connect(store)) as connection:
        fixed = load_state(connection, 1)
    assert pairs_of(fixed) != GOLD_PAIRS

    press(browser, "r")
    status_says(browser, "2 bead(s) changed around 2 reviewed one(s)")
    changed = [node.get_attribute("data-unit") for node in browser.find_elements("css selector", ".bead.changed")]
    assert changed == [str(unit + 1), str(unit + 2)]
    browser.execute_script(f"document.getElementById('bead-{unit - 4}').scrollIntoView()")
    screenshot = Path(SCREENSHOT) if SCREENSHOT else tmp_path / "review.png"
    assert browser.save_screenshot(str(screenshot)) and screenshot.stat().st_size

    browser.refresh()
    wait_for(browser, lambda d: d.find_elements("css selector", f"#bead-{unit}"))
    assert bead(browser, unit).get_attribute("data-status") == EDITED
    with closing(connect(store)) as connection:
        assert pairs_of(load_state(connection, 1)) == GOLD_PAIRS
    export_store(store, tmp_path / "out", ["tmx"])
    records = read_path(tmp_path / "out" / f"{STEM}.tmx").records
    with closing(connect(store)) as connection:
        state = load_state(connection, 1)
    texts = {side: [s.text for s in state.sentences[side]] for side in ("source", "target")}
    assert [(r.source, r.target) for r in records] == [
        (" ".join(texts["source"][i] for i in s), " ".join(texts["target"][j] for j in t)) for s, t in GOLD_PAIRS
        if s and t]
    assert {r.unit: r.status for r in records if r.status} == {unit - 1: CONFIRMED, unit: EDITED}

    # Markup in a sentence is text on the page: no element made of it, no script run.
    open_at(browser, base, 6)
    shown = [node.text for node in bead(browser, 6).find_elements("css selector", ".text")]
    assert all(shown) and all(XSS in text for text in shown)
    assert not browser.find_elements("css selector", "#beads img, #beads script")
    assert browser.execute_script("return window.hacked") is None

    open_at(browser, base, unit)
    press(browser, "u")
    status_says(browser, "undid realign")
    with closing(connect(store)) as connection:
        assert load_state(connection, 1) == fixed


def test_the_help_overlay_lists_every_shortcut(browser: Any, served: tuple[Path, str]) -> None:
    _, url = served
    browser.get(url)
    wait_for(browser, lambda d: d.find_elements("css selector", "table.documents tr[data-id]"))
    press(browser, "?")
    help_box = wait_for(browser, lambda d: d.find_element("id", "help") if d.find_element("id", "help").is_displayed()
                        else None)
    text = help_box.text
    for words in ("move the side's first sentence up", "last sentence down", "merge", "split the bead", "detach",
                  "edit the selected sentence", "join", "confirm the bead", "confirm every bead from the mark",
                  "needs attention", "undo", "re-align the rest"):
        assert words in text
    press(browser, "?")
    wait_for(browser, lambda d: not d.find_element("id", "help").is_displayed())


def test_search_jumps_to_the_bead(browser: Any, served: tuple[Path, str]) -> None:
    _, url = served
    browser.get(url)
    wait_for(browser, lambda d: d.find_elements("css selector", "table.documents tr[data-id]"))
    box = browser.find_element("id", "search")
    box.send_keys("вакцин*\n")
    wait_for(browser, lambda d: d.find_elements("css selector", ".hits li a"))
    assert browser.find_element("css selector", ".hits mark").text.lower().startswith("вакцин")
    link = browser.find_element("css selector", ".hits li a")
    unit = link.get_attribute("href").rsplit("unit=", 1)[1]
    link.click()
    wait_for(browser, lambda d: d.find_elements("css selector", ".bead.current"))
    assert browser.find_element("css selector", ".bead.current").get_attribute("data-unit") == unit

