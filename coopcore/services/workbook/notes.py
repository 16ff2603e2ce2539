"""The notes the template attaches to each column header, in Chinese and English (sheet key, column key)."""

from __future__ import annotations

NOTES: dict[tuple[str, str], tuple[str, str]] = {
    ("cooperative", "name"): ("营业执照上的名称。", "Name on the business licence."),
    ("cooperative", "uscc"): (
        "18位，农民专业合作社以93开头；按GB 32100校验。",
        "18 characters, 93… for a farmer cooperative; checked by GB 32100.",
    ),
    ("cooperative", "township"): ("乡镇或街道名称，不存在时自动建立。", "Township; created if new."),
    ("cooperative", "village"): ("村或社区名称，不存在时自动建立。", "Village; created if new."),
    ("cooperative", "party_branch"): (
        "党支部领办的合作社填写党支部名称，否则留空。",
        "The leading party branch, if any.",
    ),
    ("cooperative", "founded_on"): ("营业执照上的成立日期，格式 YYYY-MM-DD。", "Founding date, YYYY-MM-DD."),
    ("cooperative", "provident_fund_rate"): (
        "章程规定的比例，如 0.10 表示 10%（第四十二条）。",
        "Charter rate, 0.10 = 10% (Art. 42).",
    ),
    ("cooperative", "patronage_ratio"): (
        "按交易量（额）返还的比例，不得低于 0.60（第四十四条）。",
        "Share returned by patronage, at least 0.60 (Art. 44).",
    ),
    ("cooperative", "provident_basis"): (
        "交易额、出资额或各半；默认交易额。",
        "transactions, contributions or half; default transactions.",
    ),
    ("cooperative", "business_type"): ("可选。", "Optional."),
    ("cooperative", "brand"): ("可选。", "Optional."),
    ("cooperative", "is_federation"): (
        "联合社填“是”（第五十六条）；默认“否”。",
        "yes for a federation (Art. 56); default no.",
    ),
    ("cooperative", "patronage_measure"): (
        "交易额、交易量或入股面积；默认交易额。",
        "amount, quantity or mu; default amount.",
    ),
    ("cooperative", "land_guarantee"): ("计入成本（默认）或资本化，见土地入股说明。", "cost (default) or capital."),
    ("cooperative", "bylaws_effective_on"): (
        "默认为成立日期，或数据最早年份的1月1日。",
        "Default: the founding date, else 1 January of the earliest year in the data.",
    ),
    ("cooperative", "resolution"): ("可选。", "Optional."),
    ("cooperative", "trade_model"): (
        "章程规定的成员产品经营方式：收购（默认，记产品物资）或受托代销（记受托代销商品）；未结账的收购凭证按新模式重记。",
        "purchase (default, 121) or agency (128); unposted intake vouchers are booked again under it.",
    ),
    ("members", "member_code"): ("本社内唯一，如 M001；以文本格式填写。", "Unique in the cooperative, e.g. M001."),
    ("members", "name"): ("户主姓名或单位名称。", "Name of the household head or organisation."),
    ("members", "kind"): (
        "农民、村集体经济组织、企业、事业单位、社会组织、非农个人；联合社的成员为合作社。",
        "Member kind.",
    ),
    ("members", "id_number"): (
        "个人填18位身份证号，单位填统一社会信用代码；请设为文本格式。",
        "Resident ID for persons, credit code for organisations; format the column as text.",
    ),
    ("members", "joined_on"): ("格式 YYYY-MM-DD。", "YYYY-MM-DD."),
    ("members", "left_on"): ("仍在社的成员留空。", "Blank while a member."),
    ("members", "phone"): ("手机号码。", "Mobile number."),
    ("members", "is_founder"): (
        "是/否；留空时按入社日期不晚于成立日期推定（第十二条）。",
        "yes/no; blank: joined by the founding date (Art. 12).",
    ),
    ("members", "additional_votes"): ("票数，默认 0（第二十二条）。", "Additional votes, default 0 (Art. 22)."),
    ("members", "household_head"): ("可选。", "Optional."),
    ("members", "household_size"): ("可选。", "Optional."),
    ("members", "address"): ("可选。", "Optional."),
    ("members", "exit_applied_on"): ("可选（第二十五条）。", "Optional (Art. 25)."),
    ("contributions", "member_code"): ("与“成员”表的成员编号一致。", "As in the members sheet."),
    ("contributions", "date"): ("出资日期。", "Date of the contribution."),
    ("contributions", "method"): ("货币、土地经营权、实物、扶贫项目资产（第十三条）。", "Method (Art. 13)."),
    ("contributions", "amount"): ("元，最多两位小数。", "Yuan, at most 2 decimals."),
    ("contributions", "area_mu"): ("土地经营权出资必填，最多四位小数。", "Required for land rights; 4 decimals."),
    ("contributions", "premium"): (
        "可选：实际投入超过所占股金的部分，记入资本公积；资产作价低于股金时填负数。金额列只填股金。",
        "Optional: value above the share, to 321; negative for an asset valued below it. Amount is the share.",
    ),
    ("contributions", "note"): ("可选。", "Optional."),
    ("provident_shares", "member_code"): ("与“成员”表的成员编号一致。", "As in the members sheet."),
    ("provident_shares", "date"): ("量化或期初日期。", "Date."),
    ("provident_shares", "amount"): ("元，最多两位小数；减少填负数。", "Yuan; negative for a reduction."),
    ("provident_shares", "memo"): ("如“期初公积金份额”。", "Memo."),
    ("transactions", "member_code"): (
        "成员的交易填成员编号；与非成员的交易留空并填“非成员交易方”（第四十一条）。",
        "Member code; blank for business with a non-member (Art. 41).",
    ),
    ("transactions", "date"): ("交易日期。", "Date."),
    ("transactions", "product"): ("产品名称，不存在时自动建立。", "Product; created if new."),
    ("transactions", "quantity"): ("大于0，最多四位小数。", "Above 0, at most 4 decimals."),
    ("transactions", "unit"): ("如 kg、斤、袋。", "e.g. kg."),
    ("transactions", "unit_price"): ("元，大于0，最多两位小数。", "Yuan, above 0."),
    ("transactions", "amount"): (
        "可留空；填写时须等于 数量×单价 四舍五入到分。",
        "Optional; if given, quantity × price rounded half-up to the fen.",
    ),
    ("transactions", "grade"): ("可选。", "Optional."),
    ("transactions", "ticket_no"): ("本社内唯一；重新导入时按单据号更新。", "Unique; re-imports update by it."),
    ("transactions", "kind"): ("交售（默认）、代销、农资购买。", "intake (default), sale, input_purchase."),
    ("transactions", "counterparty"): ("与非成员交易时填写对方名称。", "The non-member party."),
    ("transactions", "service_fee"): (
        "可选，仅农资购买：向成员收取的代购服务费，记入经营收入，不要再在收支表中重复填写。",
        "Optional, inputs only: the fee charged, booked as income; do not repeat it in income_expense.",
    ),
    ("income_expense", "date"): ("记账日期。", "Date."),
    ("income_expense", "category"): ("按《农民专业合作社会计制度》损益类科目。", "Profit-and-loss account."),
    ("income_expense", "amount"): ("元；只有投资收益可为负数。", "Yuan; only investment income may be negative."),
    ("income_expense", "memo"): ("可选。", "Optional."),
    ("income_expense", "voucher_no"): ("可选。", "Optional."),
    ("special_funds", "date"): ("收到日期。", "Date received."),
    ("special_funds", "source"): ("国家财政直接补助或他人捐赠（第四十四条）。", "Source (Art. 44)."),
    ("special_funds", "amount"): ("元，大于0。", "Yuan, above 0."),
    ("special_funds", "memo"): ("可选。", "Optional."),
    ("special_funds", "is_poverty_asset"): ("是/否，默认否。", "yes/no, default no."),
    ("special_funds", "disposed_on"): ("可选。", "Optional."),
    ("special_funds", "form"): (
        "直接收到资产（默认）、补助资金购建（同时冲减专项应付款）或货币捐赠。",
        "asset given (default), bought with subsidy money (from 235), or money donated.",
    ),
    ("special_funds", "asset_account"): (
        "默认151固定资产；可填141、142、153、161。",
        "Default 151; or 141, 142, 153, 161.",
    ),
    ("special_payables", "date"): ("资金收到、支出或退回的日期。", "Date of the movement."),
    ("special_payables", "kind"): (
        "收到、支出（培训、信息、认证、营销等）、弥补已发生的支出、退回。形成资产的支出请填“专项基金”表。",
        "received, spent, covers_expense, returned. Money spent on property goes on the special funds sheet.",
    ),
    ("special_payables", "amount"): ("元，大于0。", "Yuan, above 0."),
    ("special_payables", "project"): ("可选，补助项目名称。", "Optional: the subsidy project."),
    ("special_payables", "expense_account"): (
        "仅“弥补已发生的支出”填写：521经营支出或523管理费用，默认523。",
        "Only for covers_expense: 521 or 523 (default 523).",
    ),
    ("special_payables", "memo"): ("可选。", "Optional."),
    ("fiscal_years", "year"): ("会计年度（公历年度）。", "Fiscal (calendar) year."),
    ("fiscal_years", "opening_undistributed"): ("元；负数表示待弥补亏损。", "Yuan; negative = uncovered loss."),
    ("fiscal_years", "closed"): (
        "是/否，默认否；结账后该年度数据不能再修改，只能通过冲回该年度的盈余分配重新打开。",
        "yes/no, default no; a closed year's records cannot change, only reversing its distribution reopens it.",
    ),
    ("land_shares", "member_code"): ("与“成员”表的成员编号一致。", "As in the members sheet."),
    ("land_shares", "parcel_code"): ("本社内唯一；重新导入时按地块编号更新。", "Unique; re-imports update by it."),
    ("land_shares", "certificate_no"): ("可选。", "Optional."),
    ("land_shares", "area_mu"): ("入股面积，最多四位小数。", "Area in mu, 4 decimals."),
    ("land_shares", "start_on"): ("入股起始日期。", "Start."),
    ("land_shares", "end_on"): (
        "不得超过承包期的剩余期限（土地承包法第三十八条）。",
        "Not beyond the land contract (Land Contract Law Art. 38).",
    ),
    ("land_shares", "guarantee_per_mu"): ("可选，每亩每年。", "Optional, yuan per mu per year."),
    ("land_shares", "location"): ("可选。", "Optional."),
    ("land_shares", "parcel_area_mu"): ("默认等于入股面积。", "Default: the share's area."),
    ("land_shares", "contract_end_on"): ("可选；填写后检查入股到期日期。", "Optional; bounds the end date."),
    ("land_shares", "shares_per_mu"): ("可选。", "Optional."),
    ("land_shares", "share_value"): ("可选。", "Optional."),
}
# The 记录来源 column of every dated sheet (coopcore.terms.Origin).
ORIGIN_NOTE = (
    "留空即“工作簿导入”。导出时标明手工录入和系统记账的行：导入只核对这些行，不新增、不修改、不删除。",
    "Blank means workbook. Exports mark rows typed in the admin or booked by the system: imports only match them.",
)
NOTES |= {
    (sheet, "origin"): ORIGIN_NOTE
    for sheet in (
        "contributions",
        "provident_shares",
        "transactions",
        "income_expense",
        "special_funds",
        "special_payables",
    )
}
