"""The OCR giro parser against the published record layout, and KID check digits."""

from __future__ import annotations

import datetime as dt

from husly.rent import ocr
from husly.tenancy.models import kid_for


def test_amount_item_1_fields_by_position() -> None:
    # A record laid out as Nets' specification shows it (type 10, giro debited account).
    line = "NY09103000000012001921320101464000000000000102000                  0000531000000"
    content = (
        "NY000010555555551000081000080800000000000000000000000000000000000000000000000000\n"
        "NY090020001008566000000299991042764000000000000000000000000000000000000000000000\n"
        + line
        + "\n"
        + "NY091031000000196368271940990385620000000160192999905123410000000000000000000000\n"
        + "NY090088000000010000000400000000000102000200192200192200192000000000000000000000\n"
        + "NY000089000000010000000600000000000102000200192000000000000000000000000000000000\n"
    )
    parsed = ocr.parse(content)
    assert parsed.errors == []
    (tx,) = parsed.transactions
    assert tx.amount_ore == 102000
    assert tx.kid == "0000531"
    assert tx.settlement_date == dt.date(1992, 1, 20)
    assert tx.archive_reference == "099038562"
    assert tx.bank_date == dt.date(1992, 1, 16)
    assert tx.debit_account == "99990512341"
    assert parsed.assignment_accounts == ["99991042764"]


def test_round_trip_and_totals_checked() -> None:
    rows = [
        (900000, kid_for(5), dt.date(2026, 12, 3), "1"),
        (450050, kid_for(7), dt.date(2026, 12, 4), "2"),
    ]
    text = ocr.write(rows)
    parsed = ocr.parse(text)
    assert parsed.errors == []
    assert [(t.amount_ore, t.kid) for t in parsed.transactions] == [
        (900000, kid_for(5)),
        (450050, kid_for(7)),
    ]
    # A file edited after the bank wrote it: the end records no longer add up.
    tampered = text.replace("000000000000900000", "000000000000990000", 1)
    codes = {code for _line, code, _p in ocr.parse(tampered).errors}
    assert codes == {"end_total"}
    # A file cut short has no end record.
    cut = "\n".join(text.splitlines()[:-2])
    assert "no_end" in {code for _l, code, _p in ocr.parse(cut).errors}


def test_kid_check_digits() -> None:
    assert ocr.mod10_valid(kid_for(123))
    assert not ocr.mod10_valid(kid_for(123)[:-1] + str((int(kid_for(123)[-1]) + 1) % 10))
    assert ocr.mod11_valid("12345678903")
    assert not ocr.mod11_valid("12345678904")
    assert ocr.kid_valid("0000531")  # the specification's example KID
    assert not ocr.kid_valid("12a4")
