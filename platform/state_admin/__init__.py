"""The state IT department's console on the root domain: districts, provisioning, rollouts."""
