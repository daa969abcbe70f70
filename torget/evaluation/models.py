"""Evaluation of a dialogue (seed 001): the participants' anonymous survey and the internal evaluation."""
