"""Demo geography: two fictional townships, thirty villages, their collectives and party branches."""

from __future__ import annotations

from decimal import Decimal

from coopcore.models import PartyBranch, Township, Village, VillageCollective, WeakVillageThreshold
from demo.context import DISTRICT, DISTRICT_CODE, DemoContext, VillagePlan

# Fictional, in the style of the district's streets and villages (夼, 疃, 泊 and 格庄 are Jiaodong place words).
TOWNSHIPS = (
    (
        "凤鸣街道",
        "王家夼村 李格庄村 东泊子村 西寨村 南疃村 北沟村 前河村 后庄村 上林村 下庄头村 "
        "大柳行村 小山后村 孙家疃村 刘家夼村 石门口村",
    ),
    (
        "泉山街道",
        "埠后村 杏花村 东院庄村 姜家疃村 林家庄村 马山村 泉水头村 张格庄村 赵家夼村 迟家沟村 "
        "唐家泊村 于家庄村 栾家口村 曲家岚村 郝家楼村",
    ),
)


def add_places(ctx: DemoContext) -> None:
    """Generate the townships, villages, village collectives (N2 credit codes) and party branches."""
    data = ctx.data
    for township_index, (township_name, village_names) in enumerate(TOWNSHIPS):
        township_code = f"{DISTRICT_CODE}{township_index + 1:03d}000"
        township = data.add(Township, name=township_name, district=DISTRICT, region_code=township_code, is_demo=True)
        ctx.townships.append(township)
        ctx.township_names.append(township_name)
        for number, village_name in enumerate(village_names.split(), start=1):
            region_code = f"{township_code[:9]}{200 + number:03d}"
            village = data.add(Village, township_id=township, name=village_name, region_code=region_code)
            # 村级 collective economic organisations carry "N2" (agriculture department, village level).
            code = ctx.people.credit_code("N2", DISTRICT_CODE, "MF")
            collective_name = f"{village_name}股份经济合作社"
            collective = data.add(VillageCollective, village_id=village, name=collective_name, credit_code=code)
            male = ctx.rng.random() < 0.8
            secretary = ctx.people.name(male=male)
            branch = data.add(PartyBranch, village_id=village, name=f"{village_name}党支部", secretary=secretary)
            ctx.villages.append(
                VillagePlan(
                    ref=village,
                    name=village_name,
                    township=township_name,
                    township_index=township_index,
                    region_code=region_code,
                    collective=collective,
                    collective_name=collective_name,
                    collective_code=code,
                    branch=branch,
                    secretary=secretary,
                    secretary_male=male,
                )
            )


def add_threshold(ctx: DemoContext) -> None:
    """Generate the district-wide weak-village line of docs/villages.md (the writer skips it if present)."""
    ctx.data.add(
        WeakVillageThreshold,
        effective_year=2020,
        township_id=None,
        weak_below=Decimal("100000.00"),
        shell_at=Decimal("0.00"),
    )
