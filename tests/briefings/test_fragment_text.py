"""Feed summaries and contents as text: lxml_html_clean drops what is not text, each block
element is a line, inline elements run on, tidy lines."""

from __future__ import annotations

import pytest

from briefings.articles import html_fragment_text


@pytest.mark.parametrize(("fragment", "text"), [
    ("<p>One</p><p>Two</p>", "One\nTwo"),
    ("a<br>b<br/>c", "a\nb\nc"),
    ("<ul><li>x</li><li>y</li></ul>", "x\ny"),
    ("<div>x<div>y</div>z</div>", "x\ny\nz"),
    ("<h2>Head</h2>para <b>bold</b> and <a href='/x'>link</a> run on",
     "Head\npara bold and link run on"),
    ("<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>", "ab\nc"),
    ("<p>a</p>tail<p>b</p>", "a\ntail\nb"),
    ("Plain &amp; simple", "Plain & simple"),
    ("<p>&eacute;l&egrave;ve&nbsp;&nbsp;ici</p>", "élève ici"),
    # dropped with their content, their tail kept
    ("<p>Hi <script>alert(1)</script>there</p>", "Hi there"),
    ("<style>p{}</style><p>Body</p>", "Body"),
    ("<p>x<!--hidden-->y</p>", "xy"),
    ("<noscript>ns</noscript>after", "after"),
    ("<iframe src=x>inner</iframe>after", "after"),
    ("<svg><text>svg text</text></svg>after", "after"),
    ("<template><p>t</p></template>after", "after"),
    ("<object>obj</object>after", "after"),
    ("<form><input value=v>label</form><p>p</p>", "p"),
    ("<p>Share <button>Tweet</button></p>", "Share"),
    # boilerplate lines and blank lines go
    ("<p>Read more: here</p><p>Kept</p><p> </p>", "Kept"),
    ("<script>only</script>", ""),
    ("", ""),
])
def test_fragment_text(fragment: str, text: str) -> None:
    assert html_fragment_text(fragment) == text
