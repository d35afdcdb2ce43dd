"""NIST SP 1500-100 v2 election results (JSON): export an election, and import one back.

The mapping, one element per saylau concept:

=====================  ==========================================================
ElectionReport         one per file; ``Status`` from the election's status,
                       ``Format`` precinct-level when stations are included
Election               title, date, scope = the nation; ``BallotCounts`` per unit
                       (ballots cast, rejected = invalid ballots)
PartyContest           the list contest; one ``PartySelection`` per ballot line
                       (``SequenceOrder`` = registration order)
VoteCounts             ``total`` per unit; declared seats at the nation as
                       ``Type: other, OtherType: seats-won`` (the results-profile
                       convention; the plain ``seats`` type is read too)
Party                  name (English and other languages), code as
                       ``Abbreviation``, colour, leader as a ``Person``
ReportingUnit          the unit tree (``ComposingGpUnitIds``), registered voters,
                       voters participated (ballots cast), stations reported/total
=====================  ==========================================================

What NIST has no field for is kept in ``ExternalIdentifier`` entries of type
``other`` whose ``OtherType`` starts with ``saylau-`` (unit ids and levels, the
ruleset and its turnout and share definitions when they are not the default, ballots
issued, candidates, previous seats, synthetic flags). ``@id`` values are
derived from saylau's ids (``gpu-KZ``, ``party-NO``), so an export is
deterministic; export → import → export gives the same bytes.
"""

from saylau.formats.nist.export import dumps, export_nist, to_nist
from saylau.formats.nist.importer import NistImport, from_nist, read_nist

__all__ = ["NistImport", "dumps", "export_nist", "from_nist", "read_nist", "to_nist"]
