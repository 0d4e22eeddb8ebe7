from peer_support.core.answers import MAX_BODY_CHARS, BodyProblem, body_problem


def test_an_answer_with_text_is_fine():
	assert body_problem("<p>Restart the print spooler.</p>") is None


def test_empty_bodies_are_refused_even_when_they_are_only_markup():
	for body in (None, "", "   ", "<p></p>", "<p>&nbsp;</p>", "<br><div> </div>"):
		assert body_problem(body) is BodyProblem.EMPTY, body


def test_oversized_bodies_are_refused():
	assert body_problem("x" * MAX_BODY_CHARS) is None
	assert body_problem("x" * (MAX_BODY_CHARS + 1)) is BodyProblem.TOO_LONG
