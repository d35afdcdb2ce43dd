"""Election forensics: statistical diagnostics on polling-station counts (the ``forensics`` extra).

Each test reads a ``StationData`` (NumPy integer arrays, one element per
station) and returns a result with ``to_dict()``; every result carries the
same caveat, ``DISCLAIMER``: these are diagnostics, not proof.

>>> data = station_data_from_store("ru-duma-2011")             # doctest: +SKIP
>>> integer_percent(data, reps=1000, seed=1).excess             # doctest: +SKIP

This package imports NumPy; ``saylau.cli`` imports it only when a forensics command runs.
"""

from saylau.analysis.forensics.common import DISCLAIMER
from saylau.analysis.forensics.data import StationData
from saylau.analysis.forensics.digits import DigitResult, digit_test
from saylau.analysis.forensics.integer_percent import IntegerPercentResult, integer_percent
from saylau.analysis.forensics.klimek import KlimekResult, klimek_fit
from saylau.analysis.forensics.load import station_data_from_file, station_data_from_store
from saylau.analysis.forensics.turnout_share import TurnoutShareResult, turnout_share

__all__ = [
    "DISCLAIMER",
    "DigitResult",
    "IntegerPercentResult",
    "KlimekResult",
    "StationData",
    "TurnoutShareResult",
    "digit_test",
    "integer_percent",
    "klimek_fit",
    "station_data_from_file",
    "station_data_from_store",
    "turnout_share",
]
