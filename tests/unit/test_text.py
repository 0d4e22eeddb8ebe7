"""Plain text of rich text (core.text): what excerpts and the suggestion index read."""

from peer_support.core.text import excerpt, plain_text


def test_block_elements_end_a_word_and_inline_ones_do_not():
	html = "<h2>The question</h2><p>The photos <b>Out</b>look shows<br>are blurry.</p><ul><li>one</li><li>two</li></ul>"
	assert plain_text(html) == "The question The photos Outlook shows are blurry. one two"


def test_entities_are_read_and_scripts_dropped():
	html = "<p>Tom &amp; Jerry&nbsp;said &lt;hi&gt;</p><script>alert(1)</script><style>p{}</style>"
	assert plain_text(html) == "Tom & Jerry said <hi>"


def test_empty_and_none():
	assert plain_text(None) == "" and plain_text("") == "" and excerpt(None) == ""


def test_excerpt_cuts_with_an_ellipsis_at_the_length():
	text = "<p>" + "word " * 100 + "</p>"
	cut = excerpt(text, 40)
	assert len(cut) == 40 and cut.endswith("…") and cut.startswith("word word")
	assert excerpt("<p>short</p>", 40) == "short"
