from gongkai.extract.textnorm import chinese_number, compact, key, label, strip_ordinal


def test_compact_removes_whitespace_and_maps_variants():
    assert compact("支出決算表") == "支出决算表"
    assert compact("一般公共服务支 出") == "一般公共服务支出"
    assert compact("争业収入") == "争业收入"
    assert compact("管理人員") == "管理人员"


def test_key_folds_widths_and_quotes():
    assert key("因公出国 (境) 费") == key("因公出国（境）费")
    assert key("财政拨款“三公”经费") == key('财政拨款"三公"经费') == key("财政拨款三公经费")


def test_strip_ordinal():
    assert strip_ordinal("一、一般公共服务支出") == "一般公共服务支出"
    assert strip_ordinal("二十三、其他支出") == "其他支出"
    assert strip_ordinal("（一）行政单位") == "行政单位"
    assert strip_ordinal("(二) 参照公务员法管理事业单位") == "参照公务员法管理事业单位"
    assert strip_ordinal("1. 副部(省)级及以上领导用车") == "副部(省)级及以上领导用车"
    assert strip_ordinal("①公务用车购置费") == "公务用车购置费"
    assert strip_ordinal("2.5万元") == "2.5万元"  # a number, not an ordinal
    assert label("一、一般公共预算财政拨 款收入") == "一般公共预算财政拨款收入"


def test_chinese_numbers():
    assert [chinese_number(x) for x in ("一", "十", "十三", "二十", "二十六", "九十九")] == [1, 10, 13, 20, 26, 99]
    assert chinese_number("abc") is None
