"""The years before the books: what the register carries in with no other side, as one voucher to review.

A cooperative that starts its books in coopcore brings the undistributed surplus it carries in (年度结转) and
its members' quantified provident shares (公积金份额), but not the assets that hold them. The voucher books
them on 332—未分配盈余 and 322, and states on its own line the assumption that balances it: that they are held
in the bank (102). The accountant reviews it before the month can close and corrects the assumption with a
voucher of their own where the money is elsewhere; nothing is plugged silently.
"""

from __future__ import annotations

from decimal import Decimal

from coopcore.rules.entries.accounts import BANK, SURPLUS_RESERVE, UNDISTRIBUTED
from coopcore.rules.entries.lines import balanced, cr, net
from coopcore.rules.ledger import EntryLine

CARRIED = "以前年度结转（待审核的假设）"
UNDISTRIBUTED_CARRIED = "年初未分配盈余（年度结转），负数为待弥补亏损"
PROVIDENT_CARRIED = "以前年度提取的盈余公积（成员账户公积金份额合计）"
ASSUMED_HELD = "假设：以上结转的盈余存于银行存款，请按实际资产核对，如有不同另填凭证调整"


def years_before_books(undistributed: Decimal, provident_shares: Decimal) -> list[EntryLine]:
    """Cr 322 the provident shares, 332—未分配盈余 the surplus carried in (a loss on the debit), and 102 the rest.

    [KJ 322 二; 332 七]: the provident fund and the undistributed surplus are what earlier years left; the bank
    line is the assumption the accountant reviews (a loss carried in reduces it).
    """
    return balanced(
        [
            cr(SURPLUS_RESERVE, provident_shares, PROVIDENT_CARRIED),
            net(UNDISTRIBUTED, -undistributed, UNDISTRIBUTED_CARRIED),
            net(BANK, provident_shares + undistributed, ASSUMED_HELD),
        ]
    )
