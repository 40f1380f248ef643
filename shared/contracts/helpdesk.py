"""Events published by helpdesk. Filled in by the helpdesk service issue."""
