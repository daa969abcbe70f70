"""Results of dialogues and their handling (seed 000), feedback at the end of a dialogue and with the decision proposal (004 §9)."""
