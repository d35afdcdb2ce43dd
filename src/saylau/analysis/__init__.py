"""Analysis of results and polls: what-if rules, vote margins, seat projections (NumPy), forensics.

Modules that need NumPy or Dask (the ``sim`` extra) import them inside, so that
``saylau.cli`` and ``saylau.core`` never do.
"""
