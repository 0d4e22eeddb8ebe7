from peer_support.core.answers import (
	MAX_BODY_CHARS,
	BodyProblem,
	EditRefusal,
	body_problem,
	edit_refusal,
	hidden_for_review,
	review_reason,
)


def test_an_answer_with_text_is_fine():
	assert body_problem("<p>Restart the print spooler.</p>") is None


def test_empty_bodies_are_refused_even_when_they_are_only_markup():
	for body in (None, "", "   ", "<p></p>", "<p>&nbsp;</p>", "<br><div> </div>"):
		assert body_problem(body) is BodyProblem.EMPTY, body


def test_oversized_bodies_are_refused():
	assert body_problem("x" * MAX_BODY_CHARS) is None
	assert body_problem("x" * (MAX_BODY_CHARS + 1)) is BodyProblem.TOO_LONG


def test_authors_edit_their_own_answers_until_accepted():
	assert edit_refusal("lottie", "lottie", accepted=False) is None
	assert edit_refusal("lottie", "lottie", accepted=True) is EditRefusal.ACCEPTED
	assert edit_refusal("lottie", "olga", accepted=False) is EditRefusal.NOT_AUTHOR
	assert edit_refusal("lottie", "olga", accepted=True) is EditRefusal.NOT_AUTHOR


def test_an_answer_is_hidden_for_review_at_the_flag_threshold_not_before():
	assert not hidden_for_review(2, 3)
	assert hidden_for_review(3, 3)
	assert hidden_for_review(4, 3)


def test_a_zero_threshold_never_hides_automatically():
	assert not hidden_for_review(100, 0)
	assert "3 flags" in review_reason(3)
