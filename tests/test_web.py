"""`kst web` and `kst show --html`: the pages over HTTP, and a real headless Chromium looking at them.

The screenshots are written to $KST_SCREENSHOTS (else the test's temporary folder) for a person to look at;
the test checks what can be checked by machine: the page is drawn, and the marks' colours are on it.
"""
from __future__ import annotations

import shutil
import subprocess
import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from kst.web import make_server
from pipeline.render import COLORS

BROWSER = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


@pytest.fixture(scope="module")
def site(corpus_db):
    server = make_server(str(corpus_db), 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=120) as r:
            return r.status, r.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8")


def test_the_site_listens_on_loopback_only(site):
    assert site.startswith("http://127.0.0.1:")


def test_search_page_lists_titles_with_marked_words(site):
    status, page = get(f"{site}/?q=subsidieregeling+dijkversterking&mode=keyword")
    assert status == 200
    assert "Voortgang Hoogwaterbeschermingsprogramma" in page
    assert "<mark>subsidieregeling</mark>" in page
    assert 'href="/doc/' in page


def test_search_page_says_when_nothing_is_found(site):
    status, page = get(f"{site}/?q=xyzzyqwerty&mode=keyword")
    assert status == 200 and "No results for <b>xyzzyqwerty</b>" in page


def test_home_shows_open_commitments_by_ministry_and_month(site):
    status, page = get(f"{site}/?as_of=2025-10-01")
    assert status == 200
    assert "Open commitments by ministry and month due" in page
    assert "Ministerie van Infrastructuur en Waterstaat" in page and "2025-12" in page


def test_a_paper_shows_its_findings_with_deadlines_dispositions_and_links(site, con):
    doc_id = con.execute("SELECT doc_id FROM documents WHERE source_path LIKE '%hwbp-voortgang.pdf'").fetchone()[0]
    status, page = get(f"{site}/doc/{doc_id}")
    assert status == 200
    assert "commitment · due 2025-05-31" in page  # "voor 1 juni 2025"
    assert "motion · afgedaan · 27625-655" in page
    assert "36410-XII-41" in page
    # the cited verslag 27625-702 is in the corpus: its citation links to it
    cited = con.execute("SELECT doc_id FROM documents WHERE dossier = '27625' AND ondernummer = '702'").fetchone()[0]
    assert f'href="/doc/{cited}"' in page


def test_commitments_pages(site):
    status, page = get(f"{site}/commitments?overdue=1&as_of=2025-10-01")
    assert status == 200 and "Overdue commitments" in page and "days</td>" in page
    status, page = get(f"{site}/commitments?ministry=onbekend&open=1")
    assert status == 200 and "promises" in page


def test_unknown_paper_and_page_are_404_with_a_message(site):
    status, page = get(f"{site}/doc/nosuchpaper")
    assert status == 404 and "no paper" in page
    assert get(f"{site}/nosuchpage")[0] == 404


def _shoot(url: str, out: Path, height: int = 1600) -> Path:
    subprocess.run([BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                    f"--screenshot={out}", f"--window-size=1100,{height}", url],
                   capture_output=True, timeout=120, check=True)
    return out


def _has_colour(png: Path, hex_colour: str, tolerance: int = 12) -> int:
    from PIL import Image
    want = tuple(int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    colours = Image.open(png).convert("RGB").getcolors(maxcolors=1 << 24)
    return sum(n for n, px in colours if all(abs(a - b) <= tolerance for a, b in zip(px, want)))


@pytest.mark.skipif(BROWSER is None, reason="no Chromium installed (make system-deps installs Debian's)")
def test_screenshots_in_a_real_browser(site, con, tmp_path):
    import os
    shots = Path(os.environ.get("KST_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    doc_id = con.execute("SELECT doc_id FROM documents WHERE source_path LIKE '%hwbp-voortgang.pdf'").fetchone()[0]
    search = _shoot(f"{site}/?q=subsidieregeling+dijkversterking", shots / "web-search.png")
    home = _shoot(f"{site}/?as_of=2025-10-01", shots / "web-home.png", 900)
    paper = _shoot(f"{site}/doc/{doc_id}", shots / "web-paper.png", 3200)
    assert _has_colour(search, "#fff3a3") > 200  # marked query words
    assert _has_colour(home, "#f8c4c4") > 200  # overdue cells
    for kind in ("commitment", "motion", "citation"):
        assert _has_colour(paper, COLORS[kind]) > 100, kind


@pytest.mark.skipif(BROWSER is None, reason="no Chromium installed (make system-deps installs Debian's)")
def test_kst_show_html_in_a_real_browser(corpus_db, tmp_path):
    import os
    import sys
    shots = Path(os.environ.get("KST_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    html = tmp_path / "paper.html"
    run = subprocess.run([str(Path(sys.executable).parent / "kst"), "show", "2025-05-22_verslag-schriftelijk-overleg"
                          "-drinkwater.txt", "--html", str(html), "--db", str(corpus_db)],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert "findings marked" in run.stdout
    shot = _shoot(html.as_uri(), shots / "show-html.png", 2400)
    for kind in ("commitment", "motion", "citation"):
        assert _has_colour(shot, COLORS[kind]) > 100, kind
