from datetime import datetime, timedelta

from peer_support.core.ranking import RankedAnswer, rank

T0 = datetime(2026, 11, 23, 9, 0)


def answer(name, accepted=False, endorsed=False, score=0, minutes=0):
	return RankedAnswer(name, accepted, endorsed, score, T0 + timedelta(minutes=minutes))


def test_accepted_then_endorsed_then_score_then_oldest():
	answers = [
		answer("late-high", score=9, minutes=30),
		answer("endorsed", endorsed=True, score=-1, minutes=20),
		answer("accepted", accepted=True, minutes=40),
		answer("early-high", score=9, minutes=10),
		answer("zero", minutes=0),
	]
	assert rank(answers) == ["accepted", "endorsed", "early-high", "late-high", "zero"]


def test_ties_are_stable_by_name():
	assert rank([answer("b"), answer("a")]) == ["a", "b"]
	assert rank([]) == []
