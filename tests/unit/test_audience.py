"""Who may read a ticket, through Helpdesk and through the community."""

import pytest

from peer_support.core.audience import (
	ALL_PORTAL_USERS,
	ANONYMOUS_REQUESTER,
	SAME_CUSTOMER,
	TicketAccess,
	Viewer,
	colleagues_scope,
	may_answer,
	may_read_community,
	may_read_through_helpdesk,
	may_see_profile,
	requester_display_name,
)

JEFF = Viewer("jeff@acme.test", customers=frozenset({"Acme"}))
LOTTIE = Viewer("lottie@acme.test", customers=frozenset({"Acme"}))
OUTSIDER = Viewer("olga@globex.test", customers=frozenset({"Globex"}))
LONER = Viewer("lee@nowhere.test")
AGENT = Viewer("derek@it.test", is_agent=True)
GUEST = Viewer("Guest")


def ticket(visibility="Community", shareable=True, customer="Acme"):
	return TicketAccess(
		frozenset({"jeff@acme.test"}), customer=customer, visibility=visibility, shareable=shareable
	)


def test_private_tickets_stay_private_through_helpdesk():
	private = ticket("Private")
	assert may_read_through_helpdesk(JEFF, private, True)
	assert not may_read_through_helpdesk(LOTTIE, private, True), "a colleague of the same customer"
	assert may_read_through_helpdesk(AGENT, private, True)
	# a community ticket is read as a projection, not through Helpdesk's endpoints
	assert not may_read_through_helpdesk(LOTTIE, ticket("Community"), True)


def test_switching_the_setting_off_leaves_helpdesk_rules_alone():
	assert may_read_through_helpdesk(LOTTIE, ticket("Private"), False)


@pytest.mark.parametrize(
	"viewer, audience, expected",
	[
		(LOTTIE, SAME_CUSTOMER, True),
		(OUTSIDER, SAME_CUSTOMER, False),
		(LONER, SAME_CUSTOMER, False),
		(OUTSIDER, ALL_PORTAL_USERS, True),
		(LONER, ALL_PORTAL_USERS, True),
		(AGENT, SAME_CUSTOMER, True),
		(JEFF, SAME_CUSTOMER, True),
		(GUEST, ALL_PORTAL_USERS, False),
	],
)
def test_community_audience(viewer, audience, expected):
	assert may_read_community(viewer, ticket(), audience) is expected


def test_private_or_excluded_tickets_are_never_community():
	for closed in (ticket("Private"), ticket("Community", shareable=False), ticket(None)):
		assert not may_read_community(LOTTIE, closed, ALL_PORTAL_USERS)
		assert may_read_community(JEFF, closed, SAME_CUSTOMER), "the requester always reads their own"
		assert may_read_community(AGENT, closed, SAME_CUSTOMER)


def test_a_ticket_without_customer_has_no_same_customer_audience():
	assert not may_read_community(LOTTIE, ticket(customer=None), SAME_CUSTOMER)


def test_who_may_answer():
	assert may_answer(LOTTIE, ticket(), SAME_CUSTOMER)
	assert not may_answer(JEFF, ticket(), SAME_CUSTOMER), "the requester accepts, does not answer"
	assert not may_answer(AGENT, ticket(), SAME_CUSTOMER), "agents reply through Helpdesk"
	assert not may_answer(OUTSIDER, ticket(), SAME_CUSTOMER)
	assert not may_answer(LOTTIE, ticket("Private"), SAME_CUSTOMER)
	assert not may_answer(GUEST, ticket(), ALL_PORTAL_USERS)


def test_requester_name_is_anonymised_on_request():
	assert requester_display_name("Jeff Jones", False) == "Jeff Jones"
	assert requester_display_name("Jeff Jones", True) == ANONYMOUS_REQUESTER
	assert requester_display_name(None, False) == ANONYMOUS_REQUESTER


def test_names_and_reputation_are_seen_within_the_audience_only():
	assert colleagues_scope(LOTTIE, SAME_CUSTOMER) == frozenset({"Acme"})
	assert colleagues_scope(LONER, SAME_CUSTOMER) == frozenset(), "no customer: nobody but oneself"
	assert colleagues_scope(LOTTIE, ALL_PORTAL_USERS) is None
	assert colleagues_scope(AGENT, SAME_CUSTOMER) is None
	acme, globex = frozenset({"Acme"}), frozenset({"Globex"})
	assert may_see_profile(LOTTIE, JEFF.user, acme, SAME_CUSTOMER)
	assert not may_see_profile(OUTSIDER, JEFF.user, acme, SAME_CUSTOMER)
	assert may_see_profile(OUTSIDER, JEFF.user, acme, ALL_PORTAL_USERS)
	assert may_see_profile(OUTSIDER, OUTSIDER.user, globex, SAME_CUSTOMER), "one's own profile"
	assert may_see_profile(LONER, LONER.user, frozenset(), SAME_CUSTOMER)
	assert not may_see_profile(LONER, JEFF.user, acme, SAME_CUSTOMER)
	assert may_see_profile(AGENT, OUTSIDER.user, globex, SAME_CUSTOMER)
	assert not may_see_profile(GUEST, JEFF.user, acme, ALL_PORTAL_USERS)


def test_a_customer_manager_keeps_helpdesks_view_of_their_customers_tickets():
	private = ticket("Private")
	assert not may_read_through_helpdesk(LOTTIE, private, True)
	assert may_read_through_helpdesk(LOTTIE, private, True, manages=frozenset({private.customer}))
	assert not may_read_through_helpdesk(LOTTIE, private, True, manages=frozenset({"Another customer"}))
