"""Events published by pokja. Filled in by the pokja service issue."""
