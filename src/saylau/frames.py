"""pandas data frames of results, for analysts (the ``pandas`` extra).

``Allocation.to_pandas()`` and ``ElectionData.to_pandas()`` come here through
:func:`saylau.core.tables.to_frame`: the core never imports pandas, and this
module imports it only when a frame is asked for, so saylau works without it and
says which extra to install when it is missing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from saylau.core.tables import install_frame_maker
from saylau.errors import MissingExtra

__all__ = ["frame"]


def frame(rows: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> Any:
    """``rows`` (records) as a pandas DataFrame with exactly ``columns``, in order."""
    try:
        import pandas  # type: ignore[import-untyped]  # an optional extra, without stubs
    except ModuleNotFoundError:
        raise MissingExtra("pandas", "pandas", "a data frame (.to_pandas())") from None
    return pandas.DataFrame.from_records(list(rows), columns=list(columns))


install_frame_maker(frame)
