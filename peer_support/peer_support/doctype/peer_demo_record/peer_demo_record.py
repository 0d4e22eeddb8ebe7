# Copyright (c) 2026, peer_support developers
# For license information, please see license.txt

from peer_support.services.write_path import AppWritten


class PeerDemoRecord(AppWritten):
	"""What the demo made: `peer-support-demo remove` deletes exactly these, so only the demo writes them."""
