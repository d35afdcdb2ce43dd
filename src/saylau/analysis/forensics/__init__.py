"""Election forensics: statistical diagnostics on polling-station counts (the ``forensics`` extra).

Each test reads a ``StationData`` (NumPy integer arrays, one element per
station) and returns a result with ``to_dict()``; every result carries the
same caveat: these are diagnostics, not proof.
"""
