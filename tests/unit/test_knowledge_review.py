from datetime import datetime, timedelta

from peer_support.core.knowledge_review import (
	FeedbackRule,
	came_back,
	feedback_due,
	linked_articles,
	may_open,
	people_to_tell,
	reopened,
)


def test_didnt_help_marks_send_the_article_back_at_the_threshold():
	rule = FeedbackRule(threshold=3, share=50)
	assert not feedback_due(rule, didnt_help=2, helped=0)
	assert feedback_due(rule, didnt_help=3, helped=0)
	assert feedback_due(rule, didnt_help=3, helped=3)  # exactly half of the marks
	assert not feedback_due(rule, didnt_help=3, helped=4)  # 3 of 7 = 43%


def test_many_helpful_marks_outweigh_a_few_complaints():
	assert not feedback_due(FeedbackRule(threshold=3, share=50), didnt_help=3, helped=200)
	# a share of 0 counts the complaints alone
	assert feedback_due(FeedbackRule(threshold=3, share=0), didnt_help=3, helped=200)


def test_a_threshold_of_zero_switches_feedback_off():
	assert not feedback_due(FeedbackRule(threshold=0, share=0), didnt_help=50, helped=0)


def test_the_share_is_clamped_to_percent():
	assert not feedback_due(FeedbackRule(threshold=1, share=150), didnt_help=9, helped=1)
	assert feedback_due(FeedbackRule(threshold=1, share=150), didnt_help=9, helped=0)
	assert feedback_due(FeedbackRule(threshold=1, share=-5), didnt_help=1, helped=99)


def test_reopened_means_done_before_and_open_now():
	assert reopened(was_done=True, is_done=False)
	assert not reopened(was_done=False, is_done=False)  # open to open (a reply)
	assert not reopened(was_done=False, is_done=True)  # resolved
	assert not reopened(was_done=True, is_done=True)  # resolved to closed


def test_a_deflected_question_came_back_within_the_days():
	t0 = datetime(2026, 11, 2, 9, 0)
	assert came_back(t0, t0 + timedelta(days=7), 7)
	assert not came_back(t0, t0 + timedelta(days=7, seconds=1), 7)
	assert not came_back(t0, t0 - timedelta(minutes=1), 7)  # filed before the deflection
	assert not came_back(t0, t0 + timedelta(hours=1), 0)  # switched off
	assert not came_back(None, t0, 7)


def test_only_a_published_article_not_under_review_opens_a_review():
	assert may_open(published=True, under_review=False)
	assert not may_open(published=True, under_review=True)  # once per review
	assert not may_open(published=False, under_review=False)  # a draft is the desk's already


def test_the_author_and_the_source_answers_authors_are_told_once_each():
	assert people_to_tell(
		"derek@it.test", ["lottie@acme.test", "derek@it.test", None, "lottie@acme.test"]
	) == [
		"derek@it.test",
		"lottie@acme.test",
	]
	assert people_to_tell(None, ["Guest", "Administrator"]) == []


def test_articles_linked_in_a_reply_are_found_by_their_routes():
	prefixes = ("/helpdesk/kb/articles/", "/helpdesk/kb-public/articles/")
	html = (
		'<p>See <a href="https://desk.example/helpdesk/kb-public/articles/a1b2c3">this</a> and '
		'<a href="/helpdesk/kb/articles/9x_y-z?x=1">that</a>; again /helpdesk/kb-public/articles/a1b2c3.</p>'
	)
	assert linked_articles(html, prefixes) == ["9x_y-z", "a1b2c3"]
	assert linked_articles(None, prefixes) == []
	assert linked_articles("<p>/helpdesk/kb-public/</p>", prefixes) == []
