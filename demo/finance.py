"""Demo fiscal years, income and expense by the 2021 accounts, and special-fund property."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from coopcore.models import (
    FiscalYear,
    FundForm,
    FundSource,
    IncomeCategory,
    IncomeExpense,
    LandShare,
    SpecialFund,
    SpecialPayable,
    SpecialPayableKind,
    Trade,
)
from coopcore.models import TradeKind as K
from coopcore.money import to_money
from demo.business import season
from demo.context import DEMO_MARK, YEARS, CoopPlan, DemoContext
from demo.dataset import Ref

IC = IncomeCategory
LOSS = (1, 2023)  # 李格庄: a late frost (倒春寒) in 2023 turns the year into a loss
OPENING_LOSS = (8, 19)  # uncovered losses carried into 2022
INVESTMENT_LOSS = (6, 2024)  # a federation share written down: 511 may be negative
INCOME_TAX_PAYERS = (15, 21)
SUBSIDIES = (
    (0, "水肥一体化设备财政补助"),
    (2, "避雨棚建设财政补助"),
    (16, "保鲜库建设财政补助"),
    (17, "有机肥替代化肥项目补助"),
    (22, "烘干设备购置补贴"),
)
DONATIONS = (5, 19)
# The produce taken in (booked Dr 121 / Cr 114 from the tickets) leaves the stock as it is sold: the year's
# purchase cost is booked against 121 产品物资 [KJ 121 五], not paid again from the bank.
COST_OF_SALES = "收购{product}支出"
STOCK = "121"
Item = tuple[IncomeCategory, Decimal, str, dt.date]


def add_finance(ctx: DemoContext) -> None:
    """Generate every cooperative's income and expense 2022–2024, its fiscal years and its special funds."""
    totals = _trade_totals(ctx)
    rents = _land_rents(ctx)
    federated = {m.name for f in ctx.federations for m in f.members}
    for plan in ctx.cooperatives + ctx.federations:
        results = {}
        for year in YEARS:
            sums = totals[(plan.ref, year)]
            items = _year_items(ctx, plan, year, sums, rents.get((plan.ref, year)), plan.name in federated)
            # The guaranteed rent is booked after loading by the land service itself (load_demo), so that
            # `coop land guarantees --book` finds it booked; here it only shapes the year's result.
            rent = rents.get((plan.ref, year)) or Decimal(0)
            results[year] = sum((a if c.is_income else -a for c, a, _, _ in items), -rent)
            for number, (category, amount, memo, day) in enumerate(sorted(items, key=lambda i: i[3]), start=1):
                ctx.data.add(
                    IncomeExpense,
                    cooperative_id=plan.ref,
                    recorded_on=day,
                    category=category,
                    amount=amount,
                    memo=memo + DEMO_MARK,
                    counter_account=STOCK if memo == COST_OF_SALES.format(product=plan.product) else "102",
                    voucher_no=f"记{year}-{number:03d}",
                    source="demo",
                )
        for year in YEARS:
            if year == 2022 and plan.index in OPENING_LOSS:
                opening = -ctx.fen(1_000, 6_000)
            elif year > 2022 and results[year - 1] < 0:
                opening = results[year - 1]  # the loss stays uncovered until a later surplus makes it good
            else:
                opening = Decimal("0.00")
            ctx.data.add(FiscalYear, cooperative_id=plan.ref, year=year, opening_undistributed=opening)
    _add_special_funds(ctx)


def _trade_totals(ctx: DemoContext) -> dict[tuple[Ref, int], dict[K, Decimal]]:
    totals: dict[tuple[Ref, int], dict[K, Decimal]] = defaultdict(lambda: dict.fromkeys(K, Decimal(0)))
    for row in ctx.data.rows_of(Trade):
        totals[(row["cooperative_id"], row["traded_on"].year)][row["kind"]] += row["amount"]
    return totals


def _land_rents(ctx: DemoContext) -> dict[tuple[Ref, int], Decimal]:
    # View A of §7.3: the guaranteed rent (保底) of shares running on 1 July is a cost of that year.
    rents: dict[tuple[Ref, int], Decimal] = defaultdict(Decimal)
    for share in ctx.data.rows_of(LandShare):
        if share["guarantee_per_mu"] is None:
            continue
        cooperative = ctx.data.row(share["parcel_id"])["cooperative_id"]
        for year in YEARS:
            if share["start_on"] <= dt.date(year, 7, 1) <= share["end_on"]:
                rents[(cooperative, year)] += to_money(share["area_mu"] * share["guarantee_per_mu"])
    return rents


def _year_items(
    ctx: DemoContext, plan: CoopPlan, year: int, sums: dict[K, Decimal], rent: Decimal | None, federated: bool
) -> list[Item]:
    rng = ctx.rng
    _, harvest_end = season(plan.product, year)
    year_end = dt.date(year, 12, 31)
    intake, inputs = sums[K.INTAKE], sums[K.INPUT_PURCHASE]
    loss = (plan.index, year) == LOSS
    markup = Decimal(100 if loss else rng.randint(112, 120)) / 100
    sales = to_money(intake * markup)

    def some_day() -> dt.date:
        return ctx.day_between(dt.date(year, 1, 10), dt.date(year, 12, 20))

    items: list[Item] = [
        (IC.OPERATING_INCOME, to_money(sales * Decimal("0.6")), f"{plan.product}销售收入（产季）", harvest_end),
        (IC.OPERATING_INCOME, sales - to_money(sales * Decimal("0.6")), f"{plan.product}销售收入（冷藏）", year_end),
        (IC.OPERATING_EXPENSE, intake, COST_OF_SALES.format(product=plan.product), harvest_end),
        (IC.OPERATING_EXPENSE, to_money(intake * Decimal("0.03")), "包装运输费", harvest_end),
        (
            IC.ADMIN_EXPENSE,
            max(Decimal("6000.00"), to_money(intake * rng.randint(15, 30) / 1000)),
            "人员工资及办公费",
            year_end,
        ),
        (IC.TAXES, ctx.fen(300, 3_000), "印花税等税金及附加", some_day()),
    ]
    if rent and not loss:
        # The pooled land is farmed by the cooperative; its harvest pays the guaranteed rent and more.
        factor = Decimal(rng.randint(125, 140)) / 100
        items.append((IC.OPERATING_INCOME, to_money(rent * factor), "入股土地统一经营收入", harvest_end))
    if inputs:
        items.append((IC.OPERATING_INCOME, inputs, "农资销售收入", dt.date(year, 4, 30)))
        items.append((IC.OPERATING_EXPENSE, to_money(inputs * Decimal("0.92")), "农资采购成本", dt.date(year, 4, 30)))
    if sums[K.SALE]:
        items.append((IC.OPERATING_INCOME, to_money(sums[K.SALE] * Decimal("0.05")), "代销手续费收入", harvest_end))
    if rng.random() < 0.6:
        items.append((IC.FINANCE_EXPENSE, ctx.fen(200, 6_000), "贷款利息支出", some_day()))
    if rng.random() < 0.5:
        items.append((IC.OTHER_INCOME, ctx.fen(2_000, 20_000), "废旧物资处置收入", some_day()))
    if rng.random() < 0.4:
        items.append((IC.OTHER_EXPENSE, ctx.fen(500, 8_000), "公益性捐赠支出", some_day()))
    if federated:
        dividend = -ctx.fen(1_000, 3_000) if (plan.index, year) == INVESTMENT_LOSS else ctx.fen(2_000, 15_000)
        items.append((IC.INVESTMENT_INCOME, dividend, "联合社投资收益", dt.date(year, 3, 31)))
    if plan.index in INCOME_TAX_PAYERS:
        items.append((IC.INCOME_TAX, ctx.fen(1_000, 6_000), "所得税费用（初加工以外业务）", year_end))
    surplus = sum((a if c.is_income else -a for c, a, _, _ in items), Decimal(0))
    floor = to_money(intake * Decimal("0.02"))
    if loss:
        # Hail or frost damage written off: the one year of the demo that ends in a loss.
        items.append(
            (IC.OTHER_EXPENSE, max(Decimal(0), surplus) + ctx.fen(10_000, 40_000), "自然灾害损失", harvest_end)
        )
    elif surplus < floor:
        items.append((IC.OPERATING_INCOME, floor - surplus + ctx.fen(1_000, 5_000), "技术服务收入", year_end))
    return [item for item in items if item[1] != 0]


def _add_special_funds(ctx: DemoContext) -> None:
    chenliang = ctx.cooperative(15)
    funds = [
        (chenliang, dt.date(2022, 6, 15), FundSource.FISCAL_SUBSIDY, Decimal("100000.00"), "冷库建设财政补助", False),
        (chenliang, dt.date(2023, 5, 10), FundSource.DONATION, Decimal("3000.00"), "爱心企业捐赠分级设备", False),
        (chenliang, dt.date(2024, 4, 20), FundSource.FISCAL_SUBSIDY, Decimal("280000.00"), "选果线建设衔接资金", True),
    ]
    # The 选果线 was built with 衔接资金 paid to the bank first (235 专项应付款): part of it trained members, the
    # rest waits on 235 at the year end.
    line_project = "选果线建设项目"
    for day, kind, amount, memo in (
        (dt.date(2024, 3, 15), SpecialPayableKind.RECEIVED, Decimal("300000.00"), "收到选果线建设衔接资金"),
        (dt.date(2024, 7, 2), SpecialPayableKind.SPENT, Decimal("12000.00"), "衔接资金支付分级技术培训费"),
    ):
        ctx.data.add(SpecialPayable, cooperative_id=chenliang.ref, moved_on=day, kind=kind, amount=amount,
                     project=line_project, memo=memo + DEMO_MARK)  # fmt: skip
    for index, memo in SUBSIDIES:
        amount = ctx.step(50_000, 200_000, 10_000)
        day = ctx.day_between(dt.date(2022, 3, 1), dt.date(2024, 10, 31))
        funds.append((ctx.cooperative(index), day, FundSource.FISCAL_SUBSIDY, amount, memo, index == 22))
    for index in DONATIONS:
        day = ctx.day_between(dt.date(2022, 3, 1), dt.date(2024, 10, 31))
        amount = ctx.step(2_000, 10_000, 500)
        funds.append((ctx.cooperative(index), day, FundSource.DONATION, amount, "社会爱心人士捐赠", False))
    for plan, day, source, amount, memo, poverty in funds:
        built = plan is chenliang and day == dt.date(2024, 4, 20)
        ctx.data.add(
            SpecialFund,
            form=FundForm.FROM_SUBSIDY if built else FundForm.ASSET,
            cooperative_id=plan.ref,
            received_on=day,
            source=source,
            amount=amount,
            memo=memo + DEMO_MARK,
            is_poverty_asset=poverty,
            disposed_on=None,
        )
