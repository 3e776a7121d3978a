"""Generate the bundled example report (gongkai/examples/example_final_2024.txt).

A complete, fictional 2024 部门决算公开 in the converter layout the corpus uses
(tab-separated tables, markdown headings), rendered by gongkai.synth from one fixed set
of line items: all ten 公开 tables, a narrative quoting them, a glossary and two
performance self-evaluation forms. Three defects are planted so `gongkai check --example`
has something to find (listed in DEFECTS below, printed when the file is written,
and in the README).

    python tools/make_example.py            # rewrite the example
    python tools/make_example.py --check    # exit 1 if the file is out of date
"""

from __future__ import annotations

import sys
from decimal import Decimal as D
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from gongkai.synth import Amounts, Form, Spec, render  # noqa: E402

OUT = Path(__file__).resolve().parents[1] / "gongkai" / "examples" / "example_final_2024.txt"
DEPT = "示例市数据管理局"
YEAR = 2024

DEFECTS = [
    "情况说明“支出决算结构情况”中卫生健康支出的占比多写了1个百分点（4.34%，应为3.34%）",
    "公开09表 决算数 公务接待费 0.62 与 合计 不符（合计按 0.52 计算）",
    "“政务数据共享平台运维”自评表执行率写成 100，全年执行数 ÷ 全年预算数 = 95.00%",
]
PLANTED = ["share", "three_public_item", "form_rate"]  # the same three, as gongkai.synth names them

AMOUNTS = Amounts(  # 万元; 公开05 rows 2010301 行政运行 … 2210201 住房公积金, 公开06 items, 公开09/10
    running=D("412.36"), service=D("186.40"), project=D("260.00"),
    pension=D("58.12"), annuity=D("29.06"), medical=D("24.80"), medical_aid=D("9.35"), housing=D("43.59"),
    salary=D("180.20"), allowance=D("96.44"),
    office=D("38.50"), water=D("4.20"), power=D("22.80"), travel=D("12.30"), union=D("8.16"), other_goods=D("14.77"),
    vehicle_budget=D("4.00"), reception_budget=D("1.00"), vehicle_actual=D("3.60"), reception_actual=D("0.52"),
    goods=D("26.40"), services=D("60.00"), vehicles=1, form_budget=D("280.00"), form_executed=D("260.00"),
)
FORMS = [
    Form(
        "政务数据共享平台运维", D("200.00"), D("190.00"),
        [("产出指标", "数量指标", "接入部门数量", "≥30个", "32个", 30, 30), ("", "质量指标", "系统可用率", "≥99%", "99.5%", 20, 20),
         ("", "时效指标", "故障响应时间", "≤2小时", "1小时", 10, 10), ("效益指标", "社会效益", "数据共享调用次数", "≥10万次", "12万次", 20, 20),
         ("满意度指标", "服务对象满意度", "使用部门满意度", "≥90%", "95%", 10, 10)],
        "保障政务数据共享平台运维全年稳定运行，服务全市政务数据共享。",
    ),
    Form(
        "电子政务外网安全加固", D("80.00"), D("70.00"),
        [("产出指标", "数量指标", "加固节点数量", "≥20个", "18个", 30, 24), ("", "质量指标", "安全事件发生数", "=0起", "0起", 20, 20),
         ("", "时效指标", "完成时间", "11月底前", "12月", 10, 6), ("效益指标", "社会效益", "网络安全保障水平", "提升", "提升", 20, 18),
         ("满意度指标", "服务对象满意度", "使用部门满意度", "≥90%", "90%", 10, 9)],
        "保障电子政务外网安全加固全年稳定运行，服务全市政务数据共享。",
    ),
]


def build(defects: bool = True) -> str:
    spec = Spec(
        DEPT, YEAR, "部门", "901", "901001", AMOUNTS, prior_total=D("1003.72"),
        defects=list(PLANTED) if defects else [],
        duties=["负责全市政务数据资源的统筹管理和共享开放；", "负责全市数字政府基础设施的规划建设和运行维护；", "承办市政府交办的其他事项。"],
        organisation="本部门设5个内设科室，下属1个事业单位（示例市大数据中心）。",
        change_reason="政务数据共享平台运维项目增加",
        class_budgets={"一般公共服务支出": D("850.00"), "社会保障和就业支出": D("90.00"), "卫生健康支出": D("35.00"), "住房保障支出": D("45.00")},
        forms=FORMS,
    )
    return render(spec)


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
