"""Emerging incidents' rules: grouping, thresholds, once-only alerts, notice audience and matching."""

from datetime import datetime, timedelta

import numpy as np

from peer_support.core.audience import Viewer
from peer_support.core.incidents import (
	Cluster,
	PastAlert,
	Thresholds,
	Unit,
	alert_subject,
	clusters,
	decide,
	is_active,
	matching_notices,
	may_read_notice,
	similar_pairs,
	to_tell_on_resolve,
	word_cosine,
	word_set,
)

T0 = datetime(2026, 12, 1, 9, 0)
THRESHOLDS = Thresholds(marks=3, tickets=3, similarity=0.5)


def new(name, subject, topic="Wi-Fi", requester=None, minutes=0):
	return Unit(
		name,
		topic,
		requester or f"{name}@acme.test",
		subject,
		new=True,
		created=T0 + timedelta(minutes=minutes),
	)


def marked(name, markers, topic="VPN", requester="jeff@acme.test", subject="VPN drops every hour"):
	return Unit(name, topic, requester, subject, markers=frozenset(markers), created=T0 - timedelta(days=3))


def unit_vector(*values):
	v = np.array(values, dtype=np.float32)
	return v / np.linalg.norm(v)


def test_word_cosine():
	assert word_cosine(word_set("Wi-Fi down on floor 2"), word_set("floor 2 Wi-Fi down")) == 1.0
	assert word_cosine(word_set("printer toner"), word_set("VPN client")) == 0.0
	assert word_cosine(frozenset(), word_set("x")) == 0.0


def test_similar_pairs_by_words_and_by_vectors():
	subjects = ["Wi-Fi down floor 2", "Wi-Fi down on floor 2 again", "Toner empty"]
	assert similar_pairs(subjects, None, 0.5) == [(0, 1)]
	vectors = np.stack([unit_vector(1, 0), unit_vector(0.9, 0.1), unit_vector(0, 1)])
	assert similar_pairs(subjects, vectors, 0.9) == [(0, 1)]
	assert similar_pairs(subjects[:1], None, 0.5) == []


def test_new_tickets_of_one_topic_that_say_the_same_thing_form_one_group():
	units = [
		new("1", "Wi-Fi down on floor 2", minutes=1),
		new("2", "Floor 2 Wi-Fi is down", minutes=2),
		new("3", "wi-fi down floor 2 since 9", minutes=3),
		new("4", "Printer toner empty", topic="Printers"),
		new("5", "Guest network password", minutes=4),
	]
	found = {c.tickets: c for c in clusters(units, 0.5)}
	wifi = found[("1", "2", "3")]
	assert wifi.topic == "Wi-Fi" and wifi.new_tickets == 3 and len(wifi.people) == 3
	assert wifi.crosses(THRESHOLDS)
	assert ("4",) in found and ("5",) in found
	assert not found[("5",)].crosses(THRESHOLDS)


def test_a_same_subject_in_another_topic_is_another_group():
	units = [new("1", "Cannot log in"), new("2", "Cannot log in", topic="ERP")]
	assert sorted(c.tickets for c in clusters(units, 0.5)) == [("1",), ("2",)]


def test_vectors_group_what_words_cannot():
	units = [
		new("1", "Outlook keeps asking for my password"),
		new("2", "Mail client prompts for credentials"),
	]
	assert len(clusters(units, 0.6)) == 2  # no shared word
	vectors = {"1": unit_vector(1, 0.1), "2": unit_vector(1, 0.15)}
	(group,) = clusters(units, 0.6, vectors)
	assert group.tickets == ("1", "2")


def test_marks_on_one_ticket_cross_the_marks_threshold_and_count_people():
	(group,) = clusters([marked("7", ["a", "b", "c"])], 0.5)
	assert group.most_marks == 3 and group.marks == 3 and group.new_tickets == 0
	assert group.people == {"a", "b", "c", "jeff@acme.test"}
	assert group.crosses(THRESHOLDS)
	(fewer,) = clusters([marked("7", ["a", "b"])], 0.5)
	assert not fewer.crosses(THRESHOLDS)
	assert not group.crosses(Thresholds(marks=0, tickets=0))
	assert not Thresholds(marks=0, tickets=0).enabled


def cluster(tickets, people=3, new_tickets=3, marks=0):
	return Cluster(
		"Wi-Fi",
		tuple(tickets),
		frozenset(f"p{i}" for i in range(people)),
		new_tickets,
		marks,
		marks,
		"Wi-Fi down",
	)


def test_a_group_is_alerted_once_then_again_only_when_it_doubles():
	first = cluster(["1", "2", "3"])
	(decision,) = decide([first], [], frozenset(), THRESHOLDS)
	assert decision.alert is None and not decision.grown
	past = [PastAlert("A1", frozenset(first.tickets), people=3, tickets_count=3)]
	assert (
		decide([cluster(["1", "2", "3", "4"], people=4, new_tickets=4)], past, frozenset(), THRESHOLDS) == []
	)
	(grown,) = decide(
		[cluster(["1", "2", "3", "4", "5", "6"], people=6, new_tickets=6)], past, frozenset(), THRESHOLDS
	)
	assert grown.alert == "A1" and grown.grown
	# another group (no ticket in common) is a new alert
	(other,) = decide([cluster(["8", "9", "10"])], past, frozenset(), THRESHOLDS)
	assert other.alert is None


def test_no_alert_below_the_thresholds_or_while_a_notice_covers_the_group():
	assert decide([cluster(["1", "2"], new_tickets=2)], [], frozenset(), THRESHOLDS) == []
	assert decide([cluster(["1", "2", "3"])], [], frozenset({"2"}), THRESHOLDS) == []
	past = [PastAlert("A1", frozenset({"1"}), people=1, tickets_count=1, covered=True)]
	assert decide([cluster(["1", "2", "3", "4", "5"], people=9)], past, frozenset(), THRESHOLDS) == []


def test_alert_subject():
	assert (
		alert_subject(cluster(["1", "2", "3"], people=4))
		== "Possible incident: 4 people, 3 tickets (Wi-Fi): Wi-Fi down"
	)
	one = Cluster(None, ("1",), frozenset({"a"}), 1, 0, 0, "")
	assert alert_subject(one) == "Possible incident: 1 person, 1 ticket"


def test_notice_audience():
	agent, guest = Viewer("derek@it.test", is_agent=True), Viewer("Guest")
	acme = Viewer("jeff@acme.test", customers=frozenset({"Acme"}))
	olga = Viewer("olga@globex.test", customers=frozenset({"Globex"}))
	nobody = Viewer("free@example.com")
	assert may_read_notice(agent, frozenset({"Acme"}))
	assert not may_read_notice(guest, frozenset())
	assert may_read_notice(acme, frozenset({"Acme"})) and not may_read_notice(olga, frozenset({"Acme"}))
	assert may_read_notice(olga, frozenset()) and may_read_notice(nobody, frozenset())
	assert not may_read_notice(nobody, frozenset({"Acme"}))
	assert not may_read_notice(acme, frozenset(), published=False)
	assert is_active("Monitoring") and not is_active("Resolved") and not is_active(None)


def test_matching_notices_by_words_and_by_vectors():
	notices = [
		("KI-1", "VPN disconnects every hour", unit_vector(1, 0)),
		("KI-2", "Printer on floor 3 offline", unit_vector(0, 1)),
	]
	assert matching_notices("my vpn disconnects", notices) == ["KI-1"]
	assert matching_notices("Totally unrelated question", notices) == []
	assert matching_notices("remote access keeps dropping", notices, unit_vector(0.95, 0.1)) == ["KI-1"]
	assert matching_notices("anything", [("KI-3", "x", None)], unit_vector(1, 0)) == []


def test_everyone_affected_is_told_once():
	told = to_tell_on_resolve(["mia", "Guest"], ["lottie", "mia"], ["jeff", None], told_before=False)
	assert told == ["jeff", "lottie", "mia"]
	assert to_tell_on_resolve(["mia"], ["lottie"], ["jeff"], told_before=True) == []
