import pytest

from content.rendering import render_markdown, sanitise


@pytest.mark.parametrize(
    "markdown",
    [
        "<script>alert('x')</script>Safe text",
        "Safe text<script src=/evil.js></script>",
        "<SCRIPT>alert(1)</SCRIPT>Safe text",
    ],
)
def test_scripts_are_removed_with_their_content(markdown):
    html = render_markdown(markdown)

    assert "<script" not in html.lower()
    assert "alert" not in html
    assert "Safe text" in html


def test_event_handlers_are_stripped():
    html = render_markdown('<img src="x" onerror="alert(1)"><p onclick="steal()">Hello</p>')

    assert "onerror" not in html
    assert "onclick" not in html
    assert "alert" not in html
    assert "<img" not in html  # no images: the CSP serves them from the site only
    assert "<p>Hello</p>" in html


@pytest.mark.parametrize(
    "markdown",
    [
        "[click](javascript:alert(1))",
        '<a href="javascript:alert(1)">click</a>',
        '<a href="JaVaScRiPt:alert(1)">click</a>',
        '<a href="  javascript:alert(1)">click</a>',
        '<a href="data:text/html;base64,PHNjcmlwdD4=">click</a>',
        '<a href="vbscript:msgbox(1)">click</a>',
    ],
)
def test_script_urls_never_become_links(markdown):
    html = render_markdown(markdown)

    assert "href" not in html
    assert "click" in html


def test_style_attributes_and_style_elements_are_stripped():
    html = render_markdown(
        '<p style="color:red" class="x" id="y">Red</p><style>body{display:none}</style>'
        "\n\n| a | b |\n|:-|-:|\n| 1 | 2 |"
    )

    assert "style" not in html  # markdown-it's table alignment is a style= too
    assert "display:none" not in html
    assert 'class="' not in html
    assert 'id="' not in html
    assert "<p>Red</p>" in html
    assert "<td>2</td>" in html


def test_iframes_forms_and_comments_are_removed():
    html = render_markdown(
        '<iframe src="https://evil.example"></iframe><form action="/x"><input name="q">'
        "</form><!-- secret -->Kept"
    )

    assert "<iframe" not in html
    assert "<form" not in html
    assert "<input" not in html
    assert "secret" not in html
    assert "Kept" in html


def test_external_links_get_noopener_nofollow():
    html = render_markdown(
        "[BLS](https://www.bls.gov/oes/) and [other](//example.com/x) and [http](http://a.example)"
    )

    assert html.count('rel="noopener nofollow"') == 3
    assert '<a href="https://www.bls.gov/oes/" rel="noopener nofollow">BLS</a>' in html


def test_links_within_the_site_and_mail_links_are_left_alone():
    html = render_markdown(
        "[NLP](/roles/nlp-engineer/), [contact](/contact/?role=nlp-engineer&area=1) "
        "and [mail](mailto:hello@agency.example)"
    )

    assert "rel=" not in html
    assert '<a href="/roles/nlp-engineer/">NLP</a>' in html
    assert 'href="mailto:hello@agency.example"' in html


def test_an_editor_cannot_set_rel_or_target_themselves():
    html = render_markdown(
        '<a href="https://example.com" rel="opener" target="_blank" title="a > b">x</a>'
    )

    assert 'rel="noopener nofollow"' in html
    assert 'opener"' not in html.replace('rel="noopener nofollow"', "")
    assert "target" not in html
    assert 'title="a &gt; b"' in html


def test_headings_start_below_the_page_title():
    html = render_markdown("# Section\n\n## Subsection\n\n###### Deepest")

    assert "<h2>Section</h2>" in html
    assert "<h3>Subsection</h3>" in html
    assert "<h6>Deepest</h6>" in html
    assert "<h1" not in render_markdown("<h1>Second title</h1>")


def test_markdown_formatting_comes_through():
    html = render_markdown(
        "Some **bold**, *emphasis*, `code` and ~~gone~~.\n\n"
        "- one\n- two\n\n1. first\n\n> quoted\n\n```\nprint('hi')\n```\n\n"
        '<abbr title="Machine learning">ML</abbr>'
    )

    for fragment in (
        "<strong>bold</strong>",
        "<em>emphasis</em>",
        "<code>code</code>",
        "<s>gone</s>",
        "<li>one</li>",
        "<ol>",
        "<blockquote>",
        "<pre><code>print('hi')",
        '<abbr title="Machine learning">ML</abbr>',
    ):
        assert fragment in html


def test_text_is_escaped():
    html = render_markdown("Salaries < $200k & rising")

    assert "Salaries &lt; $200k &amp; rising" in html


def test_sanitise_is_idempotent():
    html = render_markdown("[BLS](https://www.bls.gov/) <b>bold</b>")

    assert sanitise(html) == html
