"""Offline evaluations of the language toolkit: the topic classifier and the duplicate scorer
on labelled data or on the VNTC news corpus (`vntc`). Not part of the platform: nothing in
`danvan` imports this package (a test checks it); `python -m evaluate classifier|duplicates`."""
