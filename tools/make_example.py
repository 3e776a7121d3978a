"""Generate the bundled example report (gongkai/examples/example_final_2024.txt).

A complete, fictional 2024 部门决算公开 in the converter layout the corpus uses
(tab-separated tables, markdown headings): all ten 公开 tables computed from one set
of line items, a narrative quoting them, a glossary and two performance
self-evaluation forms. Three defects are planted so `gongkai check --example`
has something to find (listed in DEFECTS below, printed when the file is written,
and in the README).

    python tools/make_example.py            # rewrite the example
    python tools/make_example.py --check    # exit 1 if the file is out of date
"""

from __future__ import annotations

import sys
from decimal import Decimal as D
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "gongkai" / "examples" / "example_final_2024.txt"
DEPT = "示例市数据管理局"
YEAR = 2024

DEFECTS = [
    "情况说明“支出决算结构情况”中卫生健康支出的占比多写了1个百分点（4.34%，应为3.34%）",
    "公开09表 决算数 公务接待费 0.62 与 合计 不符（合计按 0.52 计算）",
    "“政务数据共享平台运维”自评表执行率写成 100，全年执行数 ÷ 全年预算数 = 95.00%",
]

# functional classification: (code, name, basic, project)
ITEMS = [
    ("2010301", "行政运行", D("412.36"), D("0")),
    ("2010350", "事业运行", D("186.40"), D("0")),
    ("2010399", "其他政府办公厅（室）及相关机构事务支出", D("0"), D("260.00")),
    ("2080505", "机关事业单位基本养老保险缴费支出", D("58.12"), D("0")),
    ("2080506", "机关事业单位职业年金缴费支出", D("29.06"), D("0")),
    ("2101101", "行政单位医疗", D("24.80"), D("0")),
    ("2101103", "公务员医疗补助", D("9.35"), D("0")),
    ("2210201", "住房公积金", D("43.59"), D("0")),
]
NAMES = {
    "201": "一般公共服务支出", "20103": "政府办公厅（室）及相关机构事务",
    "208": "社会保障和就业支出", "20805": "行政事业单位养老支出",
    "210": "卫生健康支出", "21011": "行政事业单位医疗",
    "221": "住房保障支出", "22102": "住房改革支出",
}
CLASS_ORDER = [  # 类 names in the order of the 公开01/04 支出 rows (行次 32… / 33…)
    "一般公共服务支出", "外交支出", "国防支出", "公共安全支出", "教育支出", "科学技术支出", "文化旅游体育与传媒支出",
    "社会保障和就业支出", "卫生健康支出", "节能环保支出", "城乡社区支出", "农林水支出", "交通运输支出",
    "资源勘探工业信息等支出", "商业服务业等支出", "金融支出", "援助其他地区支出", "自然资源海洋气象等支出",
    "住房保障支出", "粮油物资储备支出", "国有资本经营预算支出", "灾害防治及应急管理支出", "其他支出",
    "债务还本支出", "债务付息支出", "抗疫特别国债安排的支出",
]
CN = "一二三四五六七八九十"


def cn(n: int) -> str:
    if n <= 10:
        return CN[n - 1]
    if n < 20:
        return "十" + CN[n - 11]
    return CN[n // 10 - 1] + "十" + (CN[n % 10 - 1] if n % 10 else "")


def f(x: D | None) -> str:
    return "" if x is None or x == 0 else f"{x:.2f}"


def rows_by_code():
    """Every 类/款/项 row with (basic, project) totals, in print order."""
    out = []
    seen = set()
    for code, name, basic, project in ITEMS:
        for prefix in (code[:3], code[:5]):
            if prefix not in seen:
                seen.add(prefix)
                members = [i for i in ITEMS if i[0].startswith(prefix)]
                out.append((prefix, NAMES[prefix], sum(i[2] for i in members), sum(i[3] for i in members)))
        out.append((code, name, basic, project))
    return out


def build(defects: bool = True) -> str:
    rows = rows_by_code()
    basic = sum(i[2] for i in ITEMS)
    project = sum(i[3] for i in ITEMS)
    total = basic + project
    by_class = {name: b + p for code, name, b, p in rows if len(code) == 3}
    L: list[str] = []
    add = L.append

    add(DEPT)
    add("")
    add(f"{YEAR}年度部门决算公开")
    add("")
    add("目 录")
    add("")
    toc = [
        ("第一部分 概况", 1), ("一、部门职责", 1), ("二、机构设置情况", 1), (f"第二部分 {YEAR}年部门决算表", 2),
        ("一、收入支出决算总表", 2), ("二、收入决算表", 3), ("三、支出决算表", 4), ("四、财政拨款收入支出决算总表", 5),
        ("五、一般公共预算财政拨款支出决算表", 6), ("六、一般公共预算财政拨款基本支出决算明细表", 7),
        ("七、政府性基金预算财政拨款收入支出决算表", 8), ("八、国有资本经营预算财政拨款支出决算表", 8),
        ("九、财政拨款“三公”经费支出决算表", 9), ("十、部门决算公开相关信息统计表", 9), ("第三部分 情况说明", 10),
        ("第四部分 名词解释", 13), ("第五部分 附件", 14),
    ]
    for text, page in toc:
        add(f"{text}.....\t{page}")
    add("")
    add("# 第一部分 概况")
    add("")
    add("## 一、部门职责")
    add("")
    add("- 1、负责全市政务数据资源的统筹管理和共享开放；")
    add("- 2、负责全市数字政府基础设施的规划建设和运行维护；")
    add("- 3、承办市政府交办的其他事项。")
    add("")
    add("## 二、机构设置情况")
    add("")
    add("本部门设5个内设科室，下属1个事业单位（示例市大数据中心）。")
    add("")
    add(f"# 第二部分 {YEAR}年部门决算表")
    add("")

    def header(title: str, label: str, unit="金额单位：万元"):
        add(f"## {title}")
        add("")
        add(label)
        add("")
        add(f"部门名称：{DEPT}")
        add("")
        add(f"{YEAR}年度")
        add("")
        add(unit)
        add("")

    # 公开01
    header("收入支出决算总表", "公开01表")
    add("收入\t\t\t支出\t\t")
    add("项目\t行次\t金额\t项目\t行次\t金额")
    add("栏次\t\t1\t栏次\t\t2")
    income_rows = ["一般公共预算财政拨款收入", "政府性基金预算财政拨款收入", "国有资本经营预算财政拨款收入", "上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入"]
    for i in range(26):
        left = f"{cn(i + 1)}、{income_rows[i]}" if i < 8 else ""
        lv = f(total) if i == 0 else ""
        rv = f(by_class.get(CLASS_ORDER[i]))
        add(f"{left}\t{i + 1}\t{lv}\t{cn(i + 1)}、{CLASS_ORDER[i]}\t{32 + i}\t{rv}")
    add(f"本年收入合计\t27\t{f(total)}\t本年支出合计\t58\t{f(total)}")
    add("使用非财政拨款结余（含专用结余）\t28\t\t结余分配\t59\t")
    add("年初结转和结余\t29\t\t年末结转和结余\t60\t")
    add("\t30\t\t\t61\t")
    add(f"总计\t31\t{f(total)}\t总计\t62\t{f(total)}")
    add("")
    add("注：本表反映部门本年度的总收支和年末结转结余情况。本套报表金额单位转换时可能存在尾数误差。")
    add("")

    def coded(title, label, head1, head2, values):
        header(title, label)
        add(head1)
        add(head2)
        add("\t".join(["栏次", ""] + [str(i + 1) for i in range(head1.count("\t") - 1)]))
        cols = head1.count("\t") - 1
        tot = values(None)
        add("\t".join(["合计", ""] + [f(v) for v in tot] + [""] * (cols - len(tot))))
        for code, name, b, p in rows:
            vals = values((b, p))
            add("\t".join([code, name] + [f(v) for v in vals] + [""] * (cols - len(vals))))
        add("")

    coded(
        "收入决算表", "公开02表",
        "项目\t\t本年收入合计\t财政拨款收入\t上级补助收入\t事业收入\t经营收入\t附属单位上缴收入\t其他收入",
        "科目代码\t科目名称\t\t\t\t\t\t\t",
        lambda bp: [total, total] if bp is None else [bp[0] + bp[1], bp[0] + bp[1]],
    )
    add("注：本表反映部门本年度取得的各项收入情况。")
    add("")
    coded(
        "支出决算表", "公开03表",
        "项目\t\t本年支出合计\t基本支出\t项目支出\t上缴上级支出\t经营支出\t对附属单位补助支出",
        "科目代码\t科目名称\t\t\t\t\t\t",
        lambda bp: [total, basic, project] if bp is None else [bp[0] + bp[1], bp[0], bp[1]],
    )
    add("注：本表反映部门本年度各项支出情况。")
    add("")
    # 公开04
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
    add("注：本表反映部门本年度一般公共预算财政拨款、政府性基金预算财政拨款和国有资本经营预算财政拨款的总收支和年末结转结余情况。")
    add("")
    coded(
        "一般公共预算财政拨款支出决算表", "公开05表",
        "项目\t\t本年支出\t\t",
        "科目代码\t科目名称\t小计\t基本支出\t项目支出",
        lambda bp: [total, basic, project] if bp is None else [bp[0] + bp[1], bp[0], bp[1]],
    )
    add("注：本表反映部门本年度一般公共预算财政拨款支出情况。")
    add("")
    # 公开06 — personnel 301+303, public 302
    personnel = [("30101", "基本工资", D("180.20")), ("30102", "津贴补贴", D("96.44")), ("30107", "绩效工资", D("217.27")),
                 ("30108", "机关事业单位基本养老保险缴费", D("58.12")), ("30109", "职业年金缴费", D("29.06")),
                 ("30110", "职工基本医疗保险缴费", D("24.80")), ("30111", "公务员医疗补助缴费", D("9.35")),
                 ("30113", "住房公积金", D("43.59"))]
    c301 = sum(x[2] for x in personnel)
    public_items = [("30201", "办公费", D("38.50")), ("30205", "水费", D("4.20")), ("30206", "电费", D("22.80")),
                    ("30211", "差旅费", D("12.30")), ("30217", "公务接待费", D("0.52")), ("30228", "工会经费", D("8.16")),
                    ("30231", "公务用车运行维护费", D("3.60")), ("30299", "其他商品和服务支出", D("14.77"))]
    c302 = sum(x[2] for x in public_items)
    assert c301 + c302 == basic, (c301, c302, basic)
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
    add("注：本表反映部门本年度一般公共预算财政拨款基本支出明细情况。")
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
    # 公开09 — budget 合计 4.12 = 0 + 3.60 + 0.52; actual printed with a planted defect (接待 0.62)
    header("财政拨款“三公”经费支出决算表", "公开09表")
    add("预算数\t\t\t\t\t\t决算数\t\t\t\t\t")
    add("合计\t因公出国（境）费\t公务用车购置及运行维护费\t\t\t公务接待费\t合计\t因公出国（境）费\t公务用车购置及运行维护费\t\t\t公务接待费")
    add("\t\t小计\t公务用车购置费\t公务用车运行维护费\t\t\t\t小计\t公务用车购置费\t公务用车运行维护费\t")
    add("\t".join(str(i) for i in range(1, 13)))
    reception = "0.62" if defects else "0.52"  # planted defect: 0.62 no longer adds up
    add(f"5.00\t\t4.00\t\t4.00\t1.00\t4.12\t\t3.60\t\t3.60\t{reception}")
    add("")
    add("注：本表反映部门本年度“三公”经费支出预决算情况。")
    add("")
    # 公开10
    header("部门决算公开相关信息统计表", "公开10表")
    add("一、政府采购情况\t\t")
    add("项目\t行次\t统计数")
    add("合计\t1\t86.40")
    add("货物\t2\t26.40")
    add("工程\t3\t")
    add("服务\t4\t60.00")
    add("二、机关运行经费\t\t")
    add("项目\t\t统计数")
    add(f"(一) 行政单位\t5\t{f(c302)}")
    add("(二) 参照公务员法管理事业单位\t6\t")
    add("三、国有资产占用情况\t\t")
    add("(一) 车辆数合计(辆)\t7\t1")
    for i, name in enumerate(["副部(省)级及以上领导用车", "主要负责人用车", "机要通信用车", "应急保障用车", "执法执勤用车", "特种专业技术用车", "离退休干部服务用车", "其他用车"]):
        add(f"{i + 1}. {name}\t{8 + i}\t{'1' if name == '应急保障用车' else ''}")
    add("(二) 单价100万元(含)以上设备(不含车辆)\t17\t")
    add("")
    add("注：本表反映部门本年度政府采购、机关运行经费和国有资产占用情况。")
    add("")
    # narrative
    prior_total = D("1003.72")
    add("# 第三部分 情况说明")
    add("")
    add("## 一、收入支出决算总体情况说明")
    add("")
    change = total - prior_total
    add(f"{YEAR}年度收入总计{total:,.2f}万元，支出总计{total:,.2f}万元。与上年相比，收入总计增加{change:,.2f}万元，增长{change / prior_total * 100:.2f}%，支出总计增加{change:,.2f}万元，增长{change / prior_total * 100:.2f}%。主要原因是政务数据共享平台运维项目增加。")
    add("")
    add("## 二、收入决算情况说明")
    add("")
    add(f"{YEAR}年度收入合计{total:,.2f}万元，其中：")
    add("")
    add(f"财政拨款收入{total:,.2f}万元，占比100.00%。")
    add("")
    add("## 三、支出决算情况说明")
    add("")
    add(f"{YEAR}年度支出合计{total:,.2f}万元，其中：")
    add("")
    add(f"基本支出{basic:,.2f}万元，占比{basic / total * 100:.2f}%；")
    add("")
    add(f"项目支出{project:,.2f}万元，占比{project / total * 100:.2f}%。")
    add("")
    add("## 四、财政拨款收支决算总体情况说明")
    add("")
    add(f"{YEAR}年度财政拨款收入总计{total:,.2f}万元，支出总计{total:,.2f}万元。")
    add("")
    add("## 五、一般公共预算财政拨款支出决算情况说明")
    add("")
    add("### （一）一般公共预算财政拨款支出决算总体情况")
    add("")
    add(f"{YEAR}年一般公共预算财政拨款决算支出{total:,.2f}万元，占本年支出合计的100.00%。")
    add("")
    add("### （二）一般公共预算财政拨款支出决算结构情况")
    add("")
    add(f"{YEAR}年度一般公共预算财政拨款支出{total:,.2f}万元，主要用于以下方面：")
    add("")
    for name in ("一般公共服务支出", "社会保障和就业支出", "卫生健康支出", "住房保障支出"):
        share = by_class[name] / total * 100
        if name == "卫生健康支出" and defects:
            share += 1  # planted defect
        add(f"{name}(类){by_class[name]:,.2f}万元，占比{share:.2f}%；")
        add("")
    add("### （三）一般公共预算财政拨款支出决算具体情况")
    add("")
    budgets = {"一般公共服务支出": D("850.00"), "社会保障和就业支出": D("90.00"), "卫生健康支出": D("35.00"), "住房保障支出": D("45.00")}
    add(f"{YEAR}年度一般公共预算财政拨款支出年初预算{sum(budgets.values()):,.2f}万元，支出决算{total:,.2f}万元，完成年初预算的{total / sum(budgets.values()) * 100:.2f}%。其中：")
    add("")
    for name, b in budgets.items():
        a = by_class[name]
        add(f"{name}年初预算{b:,.2f}万元，支出决算{a:,.2f}万元，完成年初预算的{a / b * 100:.2f}%。")
        add("")
    add("## 六、一般公共预算财政拨款基本支出决算情况说明")
    add("")
    add(f"{YEAR}年度财政拨款基本支出{basic:,.2f}万元，其中：")
    add("")
    add(f"人员经费{c301:,.2f}万元，主要包括基本工资{personnel[0][2]}万元、津贴补贴{personnel[1][2]}万元、绩效工资{personnel[2][2]}万元；")
    add("")
    add(f"公用经费{c302:,.2f}万元，主要包括办公费{public_items[0][2]}万元、电费{public_items[2][2]}万元。")
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
    add(f"{YEAR}年度“三公”经费财政拨款支出全年预算5.00万元，支出决算4.12万元，完成全年预算的82.40%。其中：")
    add("")
    add("因公出国（境）费支出0万元，与上年相同；")
    add("")
    add("公务用车运行维护费支出3.60万元，完成全年预算的90.00%；")
    add("")
    add("公务接待费支出0.52万元，完成全年预算的52.00%。")
    add("")
    add("公务用车运行维护费支出3.60万元，使用财政拨款负担的公务用车保有量共1辆。")
    add("")
    add("## 十、其他重要事项情况说明")
    add("")
    add("### （一）机关运行经费支出情况说明")
    add("")
    add(f"{YEAR}年机关运行经费支出{c302:,.2f}万元。")
    add("")
    add("### （二）政府采购情况说明")
    add("")
    add(f"{YEAR}年度政府采购支出总额86.40万元，其中：政府采购货物支出26.40万元、政府采购工程支出0万元、政府采购服务支出60.00万元。政府采购授予中小企业合同金额60.00万元，占政府采购支出总额的69.44%。")
    add("")
    add("### （三）国有资产占用情况说明")
    add("")
    add(f"截至{YEAR}年12月31日，本部门共有车辆1辆，其中：应急保障用车1辆。单价100万元（含）以上设备（不含车辆）0台（套）。")
    add("")
    add("### （四）预算绩效情况说明")
    add("")
    add(f"{YEAR}年二级项目绩效自评个数2个，涉及资金280.00万元：1个项目自评等级为“优”，1个项目自评等级为“良”。")
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

    def form(name, budget, executed, rate_printed, indicators, total_printed, grade, analysis):
        add(f"## {name}项目支出绩效自评表 ({YEAR}年度)")
        add("")
        add(f"项目名称\t\t{name}\t\t\t\t\t\t\t")
        add(f"主管部门及代码\t\t901-{DEPT}\t\t\t预算单位\t901001-{DEPT}\t\t\t")
        add("项目资金预算安排及执行进度(万元)\t年初预算数\t\t全年预算数\t全年执行数\t资金结(转)余\t执行率\t得分\t偏差原因分析及改进措施\t")
        add("\t目标申报数\t预算编制数\t\t\t\t\t\t\t")
        score = min(D(10), executed / budget * 10)
        add(f"\t资金总额:\t{budget}\t{budget}\t{budget}\t{executed}\t{budget - executed}\t{rate_printed}\t{score:.2f}\t")
        add(f"市县区财政资金\t{budget}\t{budget}\t{budget}\t{executed}\t{budget - executed}\t{rate_printed}\t{score:.2f}\t\t")
        add("项目年度绩效目标\t年度目标\t\t\t\t实际完成情况\t\t\t\t")
        add(f"\t保障{name}全年稳定运行，服务全市政务数据共享。\t\t\t\t按计划完成全年工作任务。\t\t\t\t")
        add("绩效指标\t一级指标\t二级指标\t三级指标\t年初指标值\t调整后指标值\t实际完成值\t分值\t得分\t偏差原因分析及改进措施")
        for l1, l2, l3, target, actual, w, s in indicators:
            add(f"\t{l1}\t{l2}\t{l3}\t{target}\t{target}\t{actual}\t{w}\t{s}\t")
        add(f"总分\t\t\t\t\t\t\t\t{total_printed}\t{grade}")
        add(f"项目绩效分析\t项目实施和预算执行情况\t\t{analysis}\t\t\t\t\t\t")
        add("\t产出情况及分析\t\t全年完成既定任务。\t\t\t\t\t\t")
        add("")

    form(
        "政务数据共享平台运维", D("200.00"), D("190.00"), "100" if defects else "95.00",
        [("产出指标", "数量指标", "接入部门数量", "≥30个", "32个", 30, 30), ("", "质量指标", "系统可用率", "≥99%", "99.5%", 20, 20),
         ("", "时效指标", "故障响应时间", "≤2小时", "1小时", 10, 10), ("效益指标", "社会效益", "数据共享调用次数", "≥10万次", "12万次", 20, 20),
         ("满意度指标", "服务对象满意度", "使用部门满意度", "≥90%", "95%", 10, 10)],
        "99.50", "优", "预算安排200.00万元，支出190.00万元，执行率为95.00%。",
    )
    form(
        "电子政务外网安全加固", D("80.00"), D("70.00"), "87.50",
        [("产出指标", "数量指标", "加固节点数量", "≥20个", "18个", 30, 24), ("", "质量指标", "安全事件发生数", "=0起", "0起", 20, 20),
         ("", "时效指标", "完成时间", "11月底前", "12月", 10, 6), ("效益指标", "社会效益", "网络安全保障水平", "提升", "提升", 20, 18),
         ("满意度指标", "服务对象满意度", "使用部门满意度", "≥90%", "90%", 10, 9)],
        "85.75", "良", "预算安排80.00万元，支出70.00万元，执行率为87.50%。",
    )
    return "\n".join(L) + "\n"


def main() -> int:
    text = build()
    if "--check" in sys.argv:
        current = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
        if current != text:
            print(f"{OUT} is out of date; run python tools/make_example.py", file=sys.stderr)
            return 1
        return 0
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT}; planted defects:")
    for defect in DEFECTS:
        print(f"  - {defect}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
