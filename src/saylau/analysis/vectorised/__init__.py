"""Seat allocation for many elections at once: NumPy, integers only, the core engine's exact result.

:func:`allocate_batch` takes a matrix of votes (one row per simulated
election, one column per ballot line) and gives every row the seats
:func:`saylau.core.allocate_system` would give it. Nothing is rounded:

* thresholds compare ``votes × d`` with ``n × base`` for a share ``n/d``;
* largest remainder keeps each quotient as ``votes × qd`` over ``qn`` for the
  quota ``qn/qd`` (Hare, Droop, Hagenbach-Bischoff, Imperiali), so remainders
  are integers over one denominator per row;
* divisor methods (D'Hondt, Sainte-Laguë, modified Sainte-Laguë, Danish) start
  from the same jump start as the core, step seat by seat with claims
  compared by cross-multiplication, then share the seats tied at the boundary
  claim by registration order, as the core does.

Ties go to the list registered earlier: columns are put in registration
order, and every ranking key carries that order in its lowest digits.

Kazakhstan's runner-up clause (one list passes; the next largest joins with
its quotient × factor and a minimum of seats) is vectorised for Hare, Droop
and Hagenbach-Bischoff, exactly as the core applies it.

Rows this path cannot do exactly go to the core engine one by one, never to
an approximation: no list passing, the runner-up clause under a divisor
method, Imperiali or with bounds, bounds or candidate limits that bind, a
surplus of remainder seats, a method without a vectorised form (Adams, Dean,
Huntington-Hill), a tie policy other than registration order, or numbers too
large for 63-bit integers. Rows for which the law gives no result (the core
raises :class:`~saylau.errors.AllocationError`) are flagged in ``ok``.
"""

from saylau.analysis.vectorised.batch import BatchResult, allocate_batch
from saylau.analysis.vectorised.plan import VECTOR_METHODS

__all__ = ["VECTOR_METHODS", "BatchResult", "allocate_batch"]
