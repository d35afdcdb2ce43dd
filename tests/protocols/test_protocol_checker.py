"""The checker: each relation at its boundary and one vote either side; all violations of all protocols at once."""

from __future__ import annotations

import pytest
from protocol_samples import VOTES, good_protocol

from saylau.errors import ProtocolError
from saylau.protocols import PARTIES, ProtocolBatch, StationProtocol, check_protocols, load_form
from saylau.tabulate.model import PartyInfo

FORM_NAMES = ("kz-mazhilis-2021", "ru-duma-2021", "ru-duma-2011")
CASES = [(f, r.name) for f in FORM_NAMES for r in load_form(f).relations]
PARTIES_INFO = [PartyInfo(code, code, i) for i, code in enumerate(VOTES, 1)]


def _shifted(form_name: str, relation_name: str, target: int) -> StationProtocol:
    """A good protocol with one count moved so that left - right of the relation equals ``target``."""
    form = load_form(form_name)
    relation = form.relation(relation_name)
    base = good_protocol(form_name)
    diff = relation.left.evaluate(base.lines, base.votes) - relation.right.evaluate(base.lines, base.votes)
    key, coefficient = relation.difference[0]
    assert abs(coefficient) == 1
    delta = (target - diff) * coefficient
    if key == PARTIES:
        return good_protocol(form_name, A=base.votes["A"] + delta)
    return good_protocol(form_name, **{key: base.lines[key] + delta})


def _failed(protocol: StationProtocol, form_name: str) -> dict[str, tuple[int, int]]:
    return {v.relation: (v.left_value, v.right_value) for v in check_protocols([protocol], load_form(form_name))}


@pytest.mark.parametrize("form_name", FORM_NAMES)
def test_the_sample_protocols_satisfy_every_relation(form_name: str) -> None:
    assert check_protocols([good_protocol(form_name)], load_form(form_name)) == []


@pytest.mark.parametrize(("form_name", "relation_name"), CASES)
def test_each_relation_at_and_one_vote_either_side(form_name: str, relation_name: str) -> None:
    relation = load_form(form_name).relation(relation_name)
    expected_to_hold = {"=": {0}, ">=": {0, 1}, "<=": {-1, 0}}[relation.operator]
    for target in (-1, 0, 1):
        protocol = _shifted(form_name, relation_name, target)
        failed = _failed(protocol, form_name)
        if target in expected_to_hold:
            assert relation_name not in failed, (target, failed)
        else:
            assert relation_name in failed, target
            left, right = failed[relation_name]
            assert left - right == target
            assert left == relation.left.evaluate(protocol.lines, protocol.votes)
            assert right == relation.right.evaluate(protocol.lines, protocol.votes)


def test_every_violation_of_every_protocol_in_one_pass() -> None:
    form = load_form("kz-mazhilis-2021")
    protocols = [
        good_protocol("kz-mazhilis-2021", "ok-1"),
        # valid no longer matches the parties nor the boxes: two errors on one protocol
        good_protocol("kz-mazhilis-2021", "bad-2", valid=631),
        good_protocol("kz-mazhilis-2021", "ok-3"),
        # more ballots in the boxes than issued, and the list too short for those issued
        good_protocol("kz-mazhilis-2021", "bad-4", voters_on_list=649, ballots_in_boxes=651, invalid=21),
    ]
    violations = check_protocols(protocols, form)
    assert [(v.station, v.relation, v.severity) for v in violations] == [
        ("bad-2", "boxes_are_valid_and_invalid", "error"),
        ("bad-2", "valid_is_party_votes", "error"),
        ("bad-4", "list_covers_issued", "error"),
        ("bad-4", "boxes_within_issued", "warning"),
    ]
    by_pair = {(v.station, v.relation): v for v in violations}
    assert (by_pair["bad-2", "valid_is_party_votes"].left_value,
            by_pair["bad-2", "valid_is_party_votes"].right_value) == (631, 630)
    assert (by_pair["bad-4", "list_covers_issued"].left_value,
            by_pair["bad-4", "list_covers_issued"].right_value) == (649, 650)
    assert by_pair["bad-4", "boxes_within_issued"].operator == "<="


def test_batch_and_records_give_the_same_violations() -> None:
    form = load_form("ru-duma-2011")
    protocols = [good_protocol("ru-duma-2011", f"s{i}", ballots_lost=3 if i % 3 else 2, B=230 + (i % 2)) for i in range(30)]
    batch = ProtocolBatch(form, PARTIES_INFO, protocols, source="sample.csv")
    from_batch = check_protocols(batch)
    from_records = check_protocols(protocols, form)
    assert from_batch == from_records
    assert {v.relation for v in from_batch} == {"ballots_accounted", "valid_is_party_votes"}
    assert len(from_batch) == 10 + 15


def test_describe_names_station_relation_and_both_sides() -> None:
    violation = check_protocols([good_protocol("kz-mazhilis-2021", "PS-17", valid=631)], load_form("kz-mazhilis-2021"))[1]
    text = violation.describe()
    assert "PS-17" in text and "sample.csv" in text and "row 2" in text
    assert "valid_is_party_votes" in text and "631 != 630" in text and "error" in text


def test_a_protocol_missing_a_line_is_refused_with_its_location() -> None:
    protocol = good_protocol("kz-mazhilis-2021")
    lines = dict(protocol.lines)
    del lines["invalid"]
    broken = StationProtocol("PS-9", "R", None, lines, protocol.votes, row=7, source="f.csv")
    with pytest.raises(ProtocolError) as caught:
        check_protocols([broken], load_form("kz-mazhilis-2021"))
    assert caught.value.row == 7 and caught.value.field == "invalid"
