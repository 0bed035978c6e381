"""uONOS Config Proposal reconciler with its environment (seed 003)."""
