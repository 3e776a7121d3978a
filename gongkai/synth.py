"""Synthetic disclosure reports for scale tests and demos (`gongkai synth`).

Every report is a complete 部门决算公开 in the converter layout the corpus uses: the
ten 公开 tables computed from one set of line items, a narrative quoting them,
performance self-evaluation forms. The bundled example is one fixed Spec of it
(tools/make_example.py). Departments, regions, years and amounts vary; every identity
holds, so a report without injected defects checks clean. A department can have several years (each year's “与上年相比” quotes
the previous year's report) and several units (the 部门 report is the sum of its 单位
reports, and says how many units it covers).

Defects (`defects=True`) are injected into some reports and listed in manifest.jsonl,
one of DEFECT_KINDS: an in-report defect (a 三公 item that no longer adds up, a share or
a form's 执行率 misprinted), a misquoted prior year (the 比上年 change does not match
last year's report) or a unit report larger than its department.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from decimal import Decimal as D
from pathlib import Path

CENT = D("0.01")
REGIONS = ["示例省东山市", "示例省西河市", "示例市南湖区", "示例市北塔区", "示例省中原县", "示例自治区青松市"]
DEPTS = ["数据管理局", "财政局", "教育局", "卫生健康委员会", "交通运输局", "文化和旅游局", "民政局", "司法局", "农业农村局", "商务局",
         "生态环境局", "住房和城乡建设局", "人力资源和社会保障局", "市场监督管理局", "统计局", "审计局", "水务局", "林业局", "档案馆", "科学技术局"]
UNIT_SUFFIXES = ["信息中心", "服务中心", "事务中心", "监测站", "研究所", "培训中心"]
CLASS_ORDER = [
    "一般公共服务支出", "外交支出", "国防支出", "公共安全支出", "教育支出", "科学技术支出", "文化旅游体育与传媒支出",
    "社会保障和就业支出", "卫生健康支出", "节能环保支出", "城乡社区支出", "农林水支出", "交通运输支出",
    "资源勘探工业信息等支出", "商业服务业等支出", "金融支出", "援助其他地区支出", "自然资源海洋气象等支出",
    "住房保障支出", "粮油物资储备支出", "国有资本经营预算支出", "灾害防治及应急管理支出", "其他支出",
    "债务还本支出", "债务付息支出", "抗疫特别国债安排的支出",
]
NAMES = {
    "201": "一般公共服务支出", "20103": "政府办公厅（室）及相关机构事务",
    "208": "社会保障和就业支出", "20805": "行政事业单位养老支出",
    "210": "卫生健康支出", "21011": "行政事业单位医疗",
    "221": "住房保障支出", "22102": "住房改革支出",
}
CN = "一二三四五六七八九十"
INDICATORS = [
    ("产出指标", "数量指标", "完成事项数量", "≥30个", "32个", 30, 30), ("", "质量指标", "验收合格率", "≥99%", "99.5%", 20, 20),
    ("", "时效指标", "完成及时率", "≥95%", "100%", 10, 10), ("效益指标", "社会效益", "服务对象覆盖率", "≥90%", "95%", 20, 20),
    ("满意度指标", "服务对象满意度", "服务对象满意度", "≥90%", "95%", 10, 10),
]


@dataclass
class Amounts:
    """The line items one report is computed from (万元, exact cents)."""

    running: D  # 2010301 行政运行 (basic)
    service: D  # 2010350 事业运行 (basic)
    project: D  # 2010399 (project)
    pension: D  # 2080505 = 30108
    annuity: D  # 2080506 = 30109
    medical: D  # 2101101 = 30110
    medical_aid: D  # 2101103 = 30111
    housing: D  # 2210201 = 30113
    salary: D  # 30101
    allowance: D  # 30102
    office: D  # 30201
    water: D
    power: D
    travel: D
    union: D
    other_goods: D
    vehicle_budget: D  # 三公 预算
    reception_budget: D
    vehicle_actual: D  # = 30231
    reception_actual: D  # = 30217
    goods: D  # 政府采购
    services: D
    vehicles: int
    form_budget: D  # self-evaluation forms (project expenditure is their sum at most)
    form_executed: D

    def __add__(self, other: "Amounts") -> "Amounts":
        return Amounts(**{k: getattr(self, k) + getattr(other, k) for k in self.__dataclass_fields__})

    @property
    def basic(self) -> D:
        return self.running + self.service + self.pension + self.annuity + self.medical + self.medical_aid + self.housing

    @property
    def public(self) -> D:
        return self.office + self.water + self.power + self.travel + self.reception_actual + self.union + self.vehicle_actual + self.other_goods

    @property
    def performance(self) -> D:  # 30107 绩效工资: what makes personnel + public = basic
        return self.running + self.service - self.salary - self.allowance - self.public

    @property
    def total(self) -> D:
        return self.basic + self.project


def _m(rng: random.Random, lo: float, hi: float) -> D:
    return D(rng.randint(int(lo * 100), int(hi * 100))) / 100


def random_amounts(rng: random.Random, scale: float = 1.0) -> Amounts:
    s = scale
    running, service = _m(rng, 300 * s, 600 * s), _m(rng, 100 * s, 250 * s)
    office, water, power, travel = _m(rng, 20 * s, 50 * s), _m(rng, 2 * s, 6 * s), _m(rng, 10 * s, 30 * s), _m(rng, 5 * s, 15 * s)
    union, other_goods = _m(rng, 4 * s, 10 * s), _m(rng, 5 * s, 20 * s)
    vehicle_actual, reception_actual = _m(rng, 1, 5 * s), _m(rng, 0.2, 1.5 * s)
    salary, allowance = _m(rng, 0.30 * float(running + service) * 0.9, 0.30 * float(running + service)), _m(rng, 0.1 * float(running + service), 0.15 * float(running + service))
    project = _m(rng, 50 * s, 400 * s)
    form_budget = (project * D("0.8")).quantize(CENT)
    return Amounts(
        running=running, service=service, project=project,
        pension=_m(rng, 40 * s, 70 * s), annuity=_m(rng, 20 * s, 35 * s), medical=_m(rng, 15 * s, 30 * s), medical_aid=_m(rng, 5 * s, 12 * s),
        housing=_m(rng, 30 * s, 50 * s), salary=salary, allowance=allowance, office=office, water=water, power=power, travel=travel,
        union=union, other_goods=other_goods, vehicle_budget=vehicle_actual + _m(rng, 0, 1.5), reception_budget=reception_actual + _m(rng, 0, 0.8),
        vehicle_actual=vehicle_actual, reception_actual=reception_actual, goods=_m(rng, 10 * s, 40 * s), services=_m(rng, 20 * s, 80 * s),
        vehicles=rng.randint(1, 3), form_budget=form_budget, form_executed=(form_budget * D(rng.randint(85, 100)) / 100).quantize(CENT),
    )


def grow(a: Amounts, rng: random.Random) -> Amounts:
    """Next year's amounts: each item changes a little (exact cents)."""
    out = {}
    for k in a.__dataclass_fields__:
        v = getattr(a, k)
        if k == "vehicles":
            out[k] = v
        else:
            out[k] = (v * D(rng.randint(92, 110)) / 100).quantize(CENT)
    b = Amounts(**out)
    b.vehicle_budget = max(b.vehicle_budget, b.vehicle_actual)
    b.reception_budget = max(b.reception_budget, b.reception_actual)
    b.form_executed = min(b.form_executed, b.form_budget)
    return b


@dataclass
class Form:
    """One 项目支出绩效自评表: its funds, indicators (一级, 二级, 三级, target, actual, weight, score) and texts."""

    name: str
    budget: D
    executed: D
    indicators: list[tuple[str, str, str, str, str, int, int]]
    goal: str

    @property
    def funds_score(self) -> D:
        return min(D(10), self.executed / self.budget * 10).quantize(CENT) if self.budget else D(0)

    @property
    def total(self) -> D:
        return sum((D(x[6]) for x in self.indicators), D(0)) + self.funds_score

    @property
    def grade(self) -> str:
        t = self.total
        return "优" if t >= 90 else "良" if t >= 80 else "中" if t >= 60 else "差"


@dataclass
class Spec:
    """One report. Amounts make its tables; the optional texts and budgets replace generic wording."""

    department: str  # as printed on the cover, with its region
    year: int
    scope: str  # 部门 | 单位
    dept_code: str  # e.g. "901"
    unit_code: str  # e.g. "901001"
    amounts: Amounts
    prior_total: D | None = None  # last year's 收入总计, quoted by “与上年相比”
    units: int | None = None  # units the 部门 report covers
    defects: list[str] = field(default_factory=list)  # see DEFECT_KINDS
    duties: list[str] = field(default_factory=lambda: ["负责本行业的统筹管理和公共服务；", "承办本级政府交办的其他事项。"])
    organisation: str | None = None  # the 机构设置 sentence
    change_reason: str | None = None  # 主要原因是…
    class_budgets: dict[str, D] | None = None  # 年初预算 per 类 (default: 5 % above the 决算)
    forms: list[Form] | None = None  # default: one form from the amounts' form_budget / form_executed


# what `defects` may name: the planted defect each one makes
DEFECT_KINDS = {
    "three_public_item": "公开09 决算数 公务接待费 printed 0.10 higher, so the row no longer adds up",
    "prior_year": "the 比上年 change quotes a prior-year total 10.00 higher than last year's report",
    "unit_exceeds": "a unit report three times its share, larger than its department",
    "share": "the 卫生健康支出 share in the 支出结构 paragraph one percentage point too high",
    "form_rate": "the first form's 执行率 printed as 100 although 全年执行数 ÷ 全年预算数 is less",
}


def cn(n: int) -> str:
    if n <= 10:
        return CN[n - 1]
    if n < 20:
        return "十" + CN[n - 11]
    return CN[n // 10 - 1] + "十" + (CN[n % 10 - 1] if n % 10 else "")


def f(x: D | None) -> str:
    return "" if x is None or x == 0 else f"{x:.2f}"


def pct(a: D, b: D) -> str:
    return f"{(a / b * 100):.2f}" if b else "0.00"


def render(spec: Spec) -> str:
    """The text of one report (converter layout, like the bundled example)."""
    a, year, dept = spec.amounts, spec.year, spec.department
    kind_word = "部门" if spec.scope == "部门" else "单位"
    items = [
        ("2010301", "行政运行", a.running, D(0)), ("2010350", "事业运行", a.service, D(0)),
        ("2010399", "其他政府办公厅（室）及相关机构事务支出", D(0), a.project),
        ("2080505", "机关事业单位基本养老保险缴费支出", a.pension, D(0)), ("2080506", "机关事业单位职业年金缴费支出", a.annuity, D(0)),
        ("2101101", "行政单位医疗", a.medical, D(0)), ("2101103", "公务员医疗补助", a.medical_aid, D(0)),
        ("2210201", "住房公积金", a.housing, D(0)),
    ]
    rows, seen = [], set()
    for code, name, b, p in items:
        for prefix in (code[:3], code[:5]):
            if prefix not in seen:
                seen.add(prefix)
                members = [i for i in items if i[0].startswith(prefix)]
                rows.append((prefix, NAMES[prefix], sum(i[2] for i in members), sum(i[3] for i in members)))
        rows.append((code, name, b, p))
    basic, project, total = a.basic, a.project, a.total
    by_class = {name: b + p for code, name, b, p in rows if len(code) == 3}
    personnel = [("30101", "基本工资", a.salary), ("30102", "津贴补贴", a.allowance), ("30107", "绩效工资", a.performance),
                 ("30108", "机关事业单位基本养老保险缴费", a.pension), ("30109", "职业年金缴费", a.annuity),
                 ("30110", "职工基本医疗保险缴费", a.medical), ("30111", "公务员医疗补助缴费", a.medical_aid), ("30113", "住房公积金", a.housing)]
    reception_printed = a.reception_actual + D("0.10") if "three_public_item" in spec.defects else a.reception_actual
    public_items = [("30201", "办公费", a.office), ("30205", "水费", a.water), ("30206", "电费", a.power), ("30211", "差旅费", a.travel),
                    ("30217", "公务接待费", a.reception_actual), ("30228", "工会经费", a.union), ("30231", "公务用车运行维护费", a.vehicle_actual),
                    ("30299", "其他商品和服务支出", a.other_goods)]
    c301, c302 = sum(x[2] for x in personnel), sum(x[2] for x in public_items)
    assert c301 + c302 == basic
    L: list[str] = []
    add = L.append
    add(dept)
    add("")
    add(f"{year}年度{kind_word}决算公开")
    add("")
    add("目 录")
    add("")
    toc = [("第一部分 概况", 1), ("一、部门职责", 1), ("二、机构设置情况", 1), (f"第二部分 {year}年{kind_word}决算表", 2),
           ("一、收入支出决算总表", 2), ("二、收入决算表", 3), ("三、支出决算表", 4), ("四、财政拨款收入支出决算总表", 5),
           ("五、一般公共预算财政拨款支出决算表", 6), ("六、一般公共预算财政拨款基本支出决算明细表", 7),
           ("七、政府性基金预算财政拨款收入支出决算表", 8), ("八、国有资本经营预算财政拨款支出决算表", 8),
           ("九、财政拨款“三公”经费支出决算表", 9), ("十、部门决算公开相关信息统计表", 9), ("第三部分 情况说明", 10),
           ("第四部分 名词解释", 13), ("第五部分 附件", 14)]
    for text, page in toc:
        add(f"{text}.....\t{page}")
    add("")
    add("# 第一部分 概况")
    add("")
    add("## 一、部门职责")
    add("")
    for i, duty in enumerate(spec.duties, 1):
        add(f"- {i}、{duty}")
    add("")
    add("## 二、机构设置情况")
    add("")
    if spec.organisation:
        add(spec.organisation)
    elif spec.scope == "部门" and spec.units:
        add(f"纳入本部门{year}年部门决算编制范围的单位共{spec.units}家。")
    else:
        add("本单位设3个内设科室。")
    add("")
    add(f"# 第二部分 {year}年{kind_word}决算表")
    add("")

    def header(title: str, label: str, unit="金额单位：万元"):
        add(f"## {title}")
        add("")
        add(label)
        add("")
        add(f"部门名称：{dept}")
        add("")
        add(f"{year}年度")
        add("")
        add(unit)
        add("")

    header("收入支出决算总表", "公开01表")
    add("收入\t\t\t支出\t\t")
    add("项目\t行次\t金额\t项目\t行次\t金额")
    add("栏次\t\t1\t栏次\t\t2")
    income_rows = ["一般公共预算财政拨款收入", "政府性基金预算财政拨款收入", "国有资本经营预算财政拨款收入", "上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入"]
    for i in range(26):
        left = f"{cn(i + 1)}、{income_rows[i]}" if i < 8 else ""
        lv = f(total) if i == 0 else ""
        add(f"{left}\t{i + 1}\t{lv}\t{cn(i + 1)}、{CLASS_ORDER[i]}\t{32 + i}\t{f(by_class.get(CLASS_ORDER[i]))}")
    add(f"本年收入合计\t27\t{f(total)}\t本年支出合计\t58\t{f(total)}")
    add("使用非财政拨款结余（含专用结余）\t28\t\t结余分配\t59\t")
    add("年初结转和结余\t29\t\t年末结转和结余\t60\t")
    add("\t30\t\t\t61\t")
    add(f"总计\t31\t{f(total)}\t总计\t62\t{f(total)}")
    add("")
    add(f"注：本表反映{kind_word}本年度的总收支和年末结转结余情况。本套报表金额单位转换时可能存在尾数误差。")
    add("")

    def coded(title, label, head1, head2, values):
        header(title, label)
        add(head1)
        add(head2)
        cols = head1.count("\t") - 1
        add("\t".join(["栏次", ""] + [str(i + 1) for i in range(cols)]))
        tot = values(None)
        add("\t".join(["合计", ""] + [f(v) for v in tot] + [""] * (cols - len(tot))))
        for code, name, b, p in rows:
            vals = values((b, p))
            add("\t".join([code, name] + [f(v) for v in vals] + [""] * (cols - len(vals))))
        add("")

    coded("收入决算表", "公开02表", "项目\t\t本年收入合计\t财政拨款收入\t上级补助收入\t事业收入\t经营收入\t附属单位上缴收入\t其他收入",
          "科目代码\t科目名称\t\t\t\t\t\t\t", lambda bp: [total, total] if bp is None else [bp[0] + bp[1], bp[0] + bp[1]])
    add(f"注：本表反映{kind_word}本年度取得的各项收入情况。")
    add("")
    coded("支出决算表", "公开03表", "项目\t\t本年支出合计\t基本支出\t项目支出\t上缴上级支出\t经营支出\t对附属单位补助支出",
          "科目代码\t科目名称\t\t\t\t\t\t", lambda bp: [total, basic, project] if bp is None else [bp[0] + bp[1], bp[0], bp[1]])
    add(f"注：本表反映{kind_word}本年度各项支出情况。")
    add("")
    header("财政拨款收入支出决算总表", "公开04表")
    add("收入\t\t\t支出\t\t\t\t\t")
    add("项目\t行次\t金额\t项目\t行次\t合计\t一般公共预算财政拨款\t政府性基金预算财政拨款\t国有资本经营预算财政拨款")
    add("栏次\t\t1\t栏次\t\t2\t3\t4\t5")
    fund_rows = ["一般公共预算财政拨款", "政府性基金预算财政拨款", "国有资本经营预算财政拨款"]
    for i in range(26):
        left = f"{cn(i + 1)}、{fund_rows[i]}" if i < 3 else ""
        lv = f(total) if i == 0 else ""
        v = f(by_class.get(CLASS_ORDER[i]))
        add(f"{left}\t{i + 1}\t{lv}\t{cn(i + 1)}、{CLASS_ORDER[i]}\t{33 + i}\t{v}\t{v}\t\t")
    add(f"本年收入合计\t27\t{f(total)}\t本年支出合计\t59\t{f(total)}\t{f(total)}\t\t")
    add("年初财政拨款结转和结余\t28\t\t年末财政拨款结转和结余\t60\t\t\t\t")
    add("一般公共预算财政拨款\t29\t\t\t61\t\t\t\t")
    add("政府性基金预算财政拨款\t30\t\t\t62\t\t\t\t")
    add("国有资本经营预算财政拨款\t31\t\t\t63\t\t\t\t")
    add(f"总计\t32\t{f(total)}\t总计\t64\t{f(total)}\t{f(total)}\t\t")
    add("")
    add(f"注：本表反映{kind_word}本年度一般公共预算财政拨款、政府性基金预算财政拨款和国有资本经营预算财政拨款的总收支和年末结转结余情况。")
    add("")
    coded("一般公共预算财政拨款支出决算表", "公开05表", "项目\t\t本年支出\t\t", "科目代码\t科目名称\t小计\t基本支出\t项目支出",
          lambda bp: [total, basic, project] if bp is None else [bp[0] + bp[1], bp[0], bp[1]])
    add(f"注：本表反映{kind_word}本年度一般公共预算财政拨款支出情况。")
    add("")
    header("一般公共预算财政拨款基本支出决算明细表", "公开06表")
    add("人员经费\t\t\t公用经费\t\t\t\t\t\t\t\t")
    add("科目代码\t科目名称\t决算数\t科目代码\t科目名称\t决算数\t科目代码\t科目名称\t决算数\t科目代码\t科目名称\t决算数")
    left = [("301", "工资福利支出", c301)] + personnel + [("303", "对个人和家庭的补助", None)]
    mid = [("302", "商品和服务支出", c302)] + public_items
    right3 = [("310", "资本性支出", None), ("31002", "办公设备购置", None)]
    right4 = [("399", "其他支出", None)]
    for i in range(max(len(left), len(mid))):
        cells = []
        for block in (left, mid, right3, right4):
            if i < len(block):
                code, name, v = block[i]
                cells += [code, name, f(v)]
            else:
                cells += ["", "", ""]
        add("\t".join(cells))
    add(f"人员经费合计\t\t{f(c301)}\t公用经费合计\t\t\t\t\t\t\t\t{f(c302)}")
    add("")
    add(f"注：本表反映{kind_word}本年度一般公共预算财政拨款基本支出明细情况。")
    add("")
    for title, label, head1, head2, ncols in (
        ("政府性基金预算财政拨款收入支出决算表", "公开07表", "项目\t\t年初结转和结余\t本年收入\t本年支出\t\t\t年末结转和结余", "科目代码\t科目名称\t\t\t小计\t基本支出\t项目支出\t", 6),
        ("国有资本经营预算财政拨款支出决算表", "公开08表", "项目\t\t本年支出\t\t", "科目代码\t科目名称\t合计\t基本支出\t项目支出", 3),
    ):
        header(title, label, "单位：万元")
        add(head1)
        add(head2)
        add("\t".join(["栏次", ""] + [str(i + 1) for i in range(ncols)]))
        add("合计" + "\t" * (ncols + 1))
        add("")
        add("说明：本表无数据")
        add("")
    tp_budget = a.vehicle_budget + a.reception_budget
    tp_actual = a.vehicle_actual + a.reception_actual
    header("财政拨款“三公”经费支出决算表", "公开09表")
    add("预算数\t\t\t\t\t\t决算数\t\t\t\t\t")
    add("合计\t因公出国（境）费\t公务用车购置及运行维护费\t\t\t公务接待费\t合计\t因公出国（境）费\t公务用车购置及运行维护费\t\t\t公务接待费")
    add("\t\t小计\t公务用车购置费\t公务用车运行维护费\t\t\t\t小计\t公务用车购置费\t公务用车运行维护费\t")
    add("\t".join(str(i) for i in range(1, 13)))
    add(f"{f(tp_budget)}\t\t{f(a.vehicle_budget)}\t\t{f(a.vehicle_budget)}\t{f(a.reception_budget)}\t{f(tp_actual)}\t\t{f(a.vehicle_actual)}\t\t{f(a.vehicle_actual)}\t{f(reception_printed)}")
    add("")
    add(f"注：本表反映{kind_word}本年度“三公”经费支出预决算情况。")
    add("")
    procurement = a.goods + a.services
    header("部门决算公开相关信息统计表", "公开10表")
    add("一、政府采购情况\t\t")
    add("项目\t行次\t统计数")
    add(f"合计\t1\t{f(procurement)}")
    add(f"货物\t2\t{f(a.goods)}")
    add("工程\t3\t")
    add(f"服务\t4\t{f(a.services)}")
    add("二、机关运行经费\t\t")
    add("项目\t\t统计数")
    add(f"(一) 行政单位\t5\t{f(c302)}")
    add("(二) 参照公务员法管理事业单位\t6\t")
    add("三、国有资产占用情况\t\t")
    add(f"(一) 车辆数合计(辆)\t7\t{a.vehicles}")
    for i, name in enumerate(["副部(省)级及以上领导用车", "主要负责人用车", "机要通信用车", "应急保障用车", "执法执勤用车", "特种专业技术用车", "离退休干部服务用车", "其他用车"]):
        add(f"{i + 1}. {name}\t{8 + i}\t{a.vehicles if name == '应急保障用车' else ''}")
    add("(二) 单价100万元(含)以上设备(不含车辆)\t17\t")
    add("")
    add(f"注：本表反映{kind_word}本年度政府采购、机关运行经费和国有资产占用情况。")
    add("")
    add("# 第三部分 情况说明")
    add("")
    add("## 一、收入支出决算总体情况说明")
    add("")
    if spec.prior_total is not None and spec.prior_total > 0:
        prior = spec.prior_total + D("10.00") if "prior_year" in spec.defects else spec.prior_total
        change = total - prior
        word, rise = ("增加", "增长") if change >= 0 else ("减少", "下降")
        ch = abs(change)
        reason = spec.change_reason or ("业务工作任务增加" if change >= 0 else "严格压减一般性支出")
        add(f"{year}年度收入总计{total:,.2f}万元，支出总计{total:,.2f}万元。与上年相比，收入总计{word}{ch:,.2f}万元，{rise}{ch / prior * 100:.2f}%，支出总计{word}{ch:,.2f}万元，{rise}{ch / prior * 100:.2f}%。主要原因是{reason}。")
    else:
        add(f"{year}年度收入总计{total:,.2f}万元，支出总计{total:,.2f}万元。")
    add("")
    add("## 二、收入决算情况说明")
    add("")
    add(f"{year}年度收入合计{total:,.2f}万元，其中：")
    add("")
    add(f"财政拨款收入{total:,.2f}万元，占比100.00%。")
    add("")
    add("## 三、支出决算情况说明")
    add("")
    add(f"{year}年度支出合计{total:,.2f}万元，其中：")
    add("")
    add(f"基本支出{basic:,.2f}万元，占比{pct(basic, total)}%；")
    add("")
    add(f"项目支出{project:,.2f}万元，占比{pct(project, total)}%。")
    add("")
    add("## 四、财政拨款收支决算总体情况说明")
    add("")
    add(f"{year}年度财政拨款收入总计{total:,.2f}万元，支出总计{total:,.2f}万元。")
    add("")
    add("## 五、一般公共预算财政拨款支出决算情况说明")
    add("")
    add("### （一）一般公共预算财政拨款支出决算总体情况")
    add("")
    add(f"{year}年一般公共预算财政拨款决算支出{total:,.2f}万元，占本年支出合计的100.00%。")
    add("")
    add("### （二）一般公共预算财政拨款支出决算结构情况")
    add("")
    add(f"{year}年度一般公共预算财政拨款支出{total:,.2f}万元，主要用于以下方面：")
    add("")
    for name in ("一般公共服务支出", "社会保障和就业支出", "卫生健康支出", "住房保障支出"):
        share = by_class[name] / total * 100
        if name == "卫生健康支出" and "share" in spec.defects:
            share += 1
        add(f"{name}(类){by_class[name]:,.2f}万元，占比{share:.2f}%；")
        add("")
    add("### （三）一般公共预算财政拨款支出决算具体情况")
    add("")
    budgets = spec.class_budgets or {name: (by_class[name] * D("1.05")).quantize(CENT) for name in ("一般公共服务支出", "社会保障和就业支出", "卫生健康支出", "住房保障支出")}
    add(f"{year}年度一般公共预算财政拨款支出年初预算{sum(budgets.values()):,.2f}万元，支出决算{total:,.2f}万元，完成年初预算的{pct(total, sum(budgets.values()))}%。其中：")
    add("")
    for name, b in budgets.items():
        add(f"{name}年初预算{b:,.2f}万元，支出决算{by_class[name]:,.2f}万元，完成年初预算的{pct(by_class[name], b)}%。")
        add("")
    add("## 六、一般公共预算财政拨款基本支出决算情况说明")
    add("")
    add(f"{year}年度财政拨款基本支出{basic:,.2f}万元，其中：")
    add("")
    add(f"人员经费{c301:,.2f}万元，主要包括基本工资{a.salary}万元、津贴补贴{a.allowance}万元、绩效工资{a.performance}万元；")
    add("")
    add(f"公用经费{c302:,.2f}万元，主要包括办公费{a.office}万元、电费{a.power}万元。")
    add("")
    add("## 七、政府性基金预算财政拨款收支决算情况说明")
    add("")
    add("本年度无此项收支。")
    add("")
    add("## 八、国有资本经营预算财政拨款支出决算情况说明")
    add("")
    add("本年度无此项支出。")
    add("")
    add("## 九、财政拨款“三公”经费支出决算情况说明")
    add("")
    add(f"{year}年度“三公”经费财政拨款支出全年预算{tp_budget:.2f}万元，支出决算{tp_actual:.2f}万元，完成全年预算的{pct(tp_actual, tp_budget)}%。其中：")
    add("")
    add("因公出国（境）费支出0万元，与上年相同；")
    add("")
    add(f"公务用车运行维护费支出{a.vehicle_actual:.2f}万元，完成全年预算的{pct(a.vehicle_actual, a.vehicle_budget)}%；")
    add("")
    add(f"公务接待费支出{a.reception_actual:.2f}万元，完成全年预算的{pct(a.reception_actual, a.reception_budget)}%。")
    add("")
    add(f"公务用车运行维护费支出{a.vehicle_actual:.2f}万元，使用财政拨款负担的公务用车保有量共{a.vehicles}辆。")
    add("")
    add("## 十、其他重要事项情况说明")
    add("")
    add("### （一）机关运行经费支出情况说明")
    add("")
    add(f"{year}年机关运行经费支出{c302:,.2f}万元。")
    add("")
    add("### （二）政府采购情况说明")
    add("")
    add(f"{year}年度政府采购支出总额{procurement:.2f}万元，其中：政府采购货物支出{a.goods:.2f}万元、政府采购工程支出0万元、政府采购服务支出{a.services:.2f}万元。政府采购授予中小企业合同金额{a.services:.2f}万元，占政府采购支出总额的{pct(a.services, procurement)}%。")
    add("")
    add("### （三）国有资产占用情况说明")
    add("")
    add(f"截至{year}年12月31日，本{kind_word}共有车辆{a.vehicles}辆，其中：应急保障用车{a.vehicles}辆。单价100万元（含）以上设备（不含车辆）0台（套）。")
    add("")
    add("### （四）预算绩效情况说明")
    add("")
    forms = spec.forms if spec.forms is not None else [_default_form(a)]
    grades: dict[str, int] = {}
    for form in forms:
        grades[form.grade] = grades.get(form.grade, 0) + 1
    graded = "，".join(f"{n}个项目自评等级为“{g}”" for g, n in grades.items())
    add(f"{year}年二级项目绩效自评个数{len(forms)}个，涉及资金{sum((x.budget for x in forms), D(0)):.2f}万元：{graded}。")
    add("")
    add("# 第四部分 名词解释")
    add("")
    add("- 一、财政拨款收入：指单位从同级财政部门取得的财政预算资金。")
    add("- 二、基本支出：指为保障机构正常运转、完成日常工作任务而发生的人员支出和公用经费支出。")
    add("- 三、项目支出：指在基本支出之外为完成特定行政任务和事业发展目标所发生的支出。")
    add("- 四、“三公”经费：指用财政拨款安排的因公出国（境）费、公务用车购置及运行维护费和公务接待费支出。")
    add("- 五、机关运行经费：指行政单位和参照公务员法管理的事业单位财政拨款基本支出中的公用经费支出。")
    add("")
    add("# 第五部分 附件")
    add("")
    for k, form in enumerate(forms):
        _write_form(add, form, spec, printed_rate="100" if k == 0 and "form_rate" in spec.defects else None)
    return "\n".join(L) + "\n"


def _default_form(a: Amounts) -> Form:
    name = "重点业务运行保障"
    return Form(name, a.form_budget, a.form_executed, INDICATORS, f"保障{name}全年稳定运行。")


def _write_form(add, form: Form, spec: Spec, printed_rate: str | None = None) -> None:
    """The form in the converter layout; printed_rate replaces the true 执行率 in the funds rows (a planted defect)."""
    budget, executed, dept = form.budget, form.executed, spec.department
    rate = pct(executed, budget)
    shown = printed_rate or rate
    score = form.funds_score
    add(f"## {form.name}项目支出绩效自评表 ({spec.year}年度)")
    add("")
    add(f"项目名称\t\t{form.name}\t\t\t\t\t\t\t")
    add(f"主管部门及代码\t\t{spec.dept_code}-{dept}\t\t\t预算单位\t{spec.unit_code}-{dept}\t\t\t")
    add("项目资金预算安排及执行进度(万元)\t年初预算数\t\t全年预算数\t全年执行数\t资金结(转)余\t执行率\t得分\t偏差原因分析及改进措施\t")
    add("\t目标申报数\t预算编制数\t\t\t\t\t\t\t")
    add(f"\t资金总额:\t{budget}\t{budget}\t{budget}\t{executed}\t{budget - executed}\t{shown}\t{score:.2f}\t")
    add(f"市县区财政资金\t{budget}\t{budget}\t{budget}\t{executed}\t{budget - executed}\t{shown}\t{score:.2f}\t\t")
    add("项目年度绩效目标\t年度目标\t\t\t\t实际完成情况\t\t\t\t")
    add(f"\t{form.goal}\t\t\t\t按计划完成全年工作任务。\t\t\t\t")
    add("绩效指标\t一级指标\t二级指标\t三级指标\t年初指标值\t调整后指标值\t实际完成值\t分值\t得分\t偏差原因分析及改进措施")
    for l1, l2, l3, target, actual, w, sc in form.indicators:
        add(f"\t{l1}\t{l2}\t{l3}\t{target}\t{target}\t{actual}\t{w}\t{sc}\t")
    add(f"总分\t\t\t\t\t\t\t\t{form.total:.2f}\t{form.grade}")
    add(f"项目绩效分析\t项目实施和预算执行情况\t\t预算安排{budget}万元，支出{executed}万元，执行率为{rate}%。\t\t\t\t\t\t")
    add("\t产出情况及分析\t\t全年完成既定任务。\t\t\t\t\t\t")
    add("")


# --------------------------------------------------------------------------- corpora
def plan(n: int, seed: int = 0, *, years: int = 3, max_units: int = 3, defects: bool = False, defect_rate: float = 0.2) -> list[tuple[str, Spec]]:
    """About n reports: departments with several years, some with units. Returns (file name, spec)."""
    rng = random.Random(seed)
    out: list[tuple[str, Spec]] = []
    d = 0
    while len(out) < n:
        region = REGIONS[d % len(REGIONS)]
        base = DEPTS[(d // len(REGIONS)) % len(DEPTS)]
        series = d // (len(REGIONS) * len(DEPTS))
        name = base if series == 0 else f"{base[:-1]}第{series + 1}{base[-1]}"
        dept = f"{region}{name}"
        code = str(100 + d)  # department code; its units are code + 001, 002 …
        n_units = rng.choice([0, 0, 1] + list(range(2, max_units + 1))) if max_units else 0
        first = 2020 + rng.randint(0, 2)
        unit_amounts = [random_amounts(rng, scale=rng.uniform(0.3, 1.0)) for _ in range(max(1, n_units))]
        unit_names = [dept] + [f"{dept}{UNIT_SUFFIXES[(i - 1) % len(UNIT_SUFFIXES)]}" for i in range(1, len(unit_amounts))]
        prior: dict[str, D] = {}
        for y in range(first, first + years):
            if len(out) >= n:
                break
            if y > first:
                unit_amounts = [grow(x, rng) for x in unit_amounts]
            total_amounts = unit_amounts[0]
            for x in unit_amounts[1:]:
                total_amounts = total_amounts + x
            specs = [(f"d{d:05d}_{y}_dept.txt", Spec(dept, y, "部门", code, f"{code}001", total_amounts, prior.get("dept"), units=len(unit_amounts) if n_units else None))]
            if n_units:
                for i, (uname, ua) in enumerate(zip(unit_names, unit_amounts)):
                    specs.append((f"d{d:05d}_{y}_unit{i + 1}.txt", Spec(uname, y, "单位", code, f"{code}{i + 1:03d}", ua, prior.get(f"u{i}"))))
            for fname, spec in specs:
                if defects and rng.random() < defect_rate:
                    options = ["three_public_item", "share", "form_rate"]
                    if spec.prior_total is not None:
                        options.append("prior_year")
                    if spec.scope == "单位":
                        options.append("unit_exceeds")
                    spec.defects.append(rng.choice(options))
                    if "unit_exceeds" in spec.defects:  # a consistent report, three times its share
                        spec.amounts = _scaled(spec.amounts, 3)
                out.append((fname, spec))
                if len(out) >= n:
                    break
            prior["dept"] = specs[0][1].amounts.total
            for i, (_, spec) in enumerate(specs[1:]):
                prior[f"u{i}"] = spec.amounts.total
        d += 1
    return out


def _scaled(a: Amounts, k: int) -> Amounts:
    return Amounts(**{f: getattr(a, f) * k if f != "vehicles" else getattr(a, f) for f in a.__dataclass_fields__})


def write_corpus(out_dir: str | Path, n: int, seed: int = 0, **kw) -> list[dict]:
    """Write about n reports and manifest.jsonl (one line per report: file, department, year, scope, defects)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    manifest = []
    for fname, spec in plan(n, seed, **kw):
        sub = out / fname[:4]  # d000… : a few hundred files per folder
        sub.mkdir(exist_ok=True)
        (sub / fname).write_text(render(spec), encoding="utf-8")
        manifest.append({"file": f"{fname[:4]}/{fname}", "department": spec.department, "year": spec.year, "scope": spec.scope,
                         "unit_code": spec.unit_code, "total": str(spec.amounts.total), "defects": spec.defects})
    with open(out / "manifest.jsonl", "w", encoding="utf-8") as fh:
        for m in manifest:
            fh.write(json.dumps(m, ensure_ascii=False) + "\n")
    return manifest
