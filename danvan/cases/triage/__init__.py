"""Triage: which topic and kind a letter is about and which agency is competent for it.

The topic tree, the routing table, the keyword rules and the learned suggestions (their
models live in `cases.models.triage`). Triage reads letters and never writes one: the
services of `cases` ask it where a letter goes and store the answer.
"""
