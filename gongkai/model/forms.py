"""Appendix forms as structured records.

Amounts are in 万元 whatever the form prints (forms in 元 are converted exactly);
`raw` keeps what was printed. A form that could not be read completely lists the
reasons in `problems`; checks skip what they cannot trust.
"""

from __future__ import annotations

from dataclasses import field
from decimal import Decimal

from .provenance import NOWHERE, Provenance
from ..records import record


@record
class Amount:
    value: Decimal  # 万元 for money; the printed number for rates and scores
    raw: str
    prov: Provenance = NOWHERE


@record
class FundLine:
    """One row of a funds block (资金总额 or one source of funds)."""

    source: str  # "资金总额", "市县区财政资金", "中央财政资金" …
    initial_target: Amount | None = None  # 年初预算数·目标申报数
    initial_budget: Amount | None = None  # 年初预算数·预算编制数
    annual_budget: Amount | None = None  # 全年预算数 (A)
    executed: Amount | None = None  # 全年执行数 (B)
    balance: Amount | None = None  # 资金结(转)余
    rate: Amount | None = None  # 执行率, in percent
    score: Amount | None = None  # 得分 (out of 10)
    prov: Provenance = NOWHERE


@record
class Indicator:
    level1: str | None  # 一级指标: 产出指标 / 效益指标 / 满意度指标
    level2: str | None  # 二级指标: 数量指标, 质量指标 …
    level3: str | None  # 三级指标: the measure itself
    target: str | None = None  # 年初指标值 (or 指标值 on target forms)
    adjusted_target: str | None = None  # 调整后指标值
    actual: str | None = None  # 实际完成值
    weight: Amount | None = None  # 分值
    score: Amount | None = None  # 得分
    note: str | None = None  # 偏差原因分析及改进措施
    period: str | None = None  # target forms: "实施期" / "年度"
    prov: Provenance = NOWHERE


@record
class TextField:
    label: str
    text: str
    prov: Provenance = NOWHERE


@record
class PerformanceForm:
    """项目支出绩效自评表, incl. the transfer-payment variant (转移支付绩效自评表)."""

    kind: str  # "self_evaluation" | "transfer_payment"
    title: str | None
    project: str | None
    department: str | None = None  # 主管部门及代码 (or 地方主管部门)
    unit: str | None = None  # 预算单位 / 资金使用单位
    funds: list[FundLine] = field(default_factory=list)
    goal: str | None = None  # 年度目标 / 总体目标
    achievement: str | None = None  # 实际完成情况
    indicators: list[Indicator] = field(default_factory=list)
    total_score: Amount | None = None
    grade: str | None = None
    analysis: list[TextField] = field(default_factory=list)  # 项目绩效分析 parts
    amount_unit: str = "万元"
    prov: Provenance = NOWHERE
    end: Provenance = NOWHERE
    problems: list[str] = field(default_factory=list)

    @property
    def total_funds(self) -> FundLine | None:
        return self.funds[0] if self.funds else None

    @property
    def readable(self) -> bool:
        return not self.problems


@record
class TargetForm:
    """项目支出绩效目标表 (budget annex): one project's targets."""

    title: str | None
    project: str | None
    department: str | None = None
    implementing_unit: str | None = None
    attribute: str | None = None  # 项目属性
    period: str | None = None  # 项目期
    implementation_total: Amount | None = None  # 实施期资金总额 (万元)
    annual_total: Amount | None = None  # 年度资金总额 (万元)
    annual_by_source: dict[str, Amount] = field(default_factory=dict)
    texts: list[TextField] = field(default_factory=list)  # 项目概况, 立项依据 …
    indicators: list[Indicator] = field(default_factory=list)
    amount_unit: str = "元"
    prov: Provenance = NOWHERE
    end: Provenance = NOWHERE
    problems: list[str] = field(default_factory=list)


@record
class OverallTargetForm:
    """部门（单位）整体支出绩效目标申报表."""

    title: str | None
    department: str | None = None
    facts: dict[str, str] = field(default_factory=dict)  # 内设职能部门数 … as printed
    funds_by_source: dict[str, Amount] = field(default_factory=dict)  # 合计, 一般公共预算资金 …
    funds_by_use: dict[str, Amount] = field(default_factory=dict)  # 合计, 基本支出, 项目支出
    indicators: list[Indicator] = field(default_factory=list)
    prov: Provenance = NOWHERE
    end: Provenance = NOWHERE
    problems: list[str] = field(default_factory=list)


Form = PerformanceForm | TargetForm | OverallTargetForm
