"""Line rules: what each line of a notice is, by ordered, named rules.

Each rule looks at one stripped line and returns a :class:`Token` or None; the first rule that
answers wins (Python-Markdown registers its block processors the same way, by name and
priority), so a golden test that fails points at one rule. The assembler
(:mod:`luoshi.grammar.notice`) decides what the tokens mean in context.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

CN_DIGITS = "零一二三四五六七八九十"
CN_NUM = r"[一二三四五六七八九十]{1,3}"

# Titles of the leaders who head a section, longest first so 常务副省长 is not read as 副省长.
LEADER_TITLES = (
    "常务副省长", "常务副市长", "常务副区长", "常务副县长", "常务副主席",
    "副省长", "副市长", "副区长", "副县长", "副主席", "副秘书长",
    "省长", "市长", "区长", "县长", "主席", "秘书长",
)  # fmt: skip
LEADER_VERBS = ("牵头", "主抓", "负责", "分管", "领衔")

# Labels of responsibility clauses → how their units take roles.
UNIT_LABELS = {
    "责任单位": "duty",
    "责任部门": "duty",
    "承办单位": "duty",
    "牵头单位": "lead",
    "牵头责任单位": "lead",
    "主要责任单位": "lead",
    "牵头部门": "lead",
    "配合单位": "partner",
    "协同责任单位": "partner",
    "协同单位": "partner",
    "协办单位": "partner",
    "参与单位": "partner",
    "配合部门": "partner",
}
LEADER_LABELS = (
    "牵头负责领导", "牵头市领导", "牵头省领导", "牵头区领导", "牵头县领导", "牵头领导",
    "责任领导", "分管领导", "联系领导", "责任市领导", "责任省领导",
)  # fmt: skip
DEADLINE_LABELS = ("完成时限", "完成时间", "时间节点", "办结时限")
_LABEL_ALT = "|".join(
    sorted([*UNIT_LABELS, *LEADER_LABELS, *DEADLINE_LABELS], key=len, reverse=True)
)
LABEL_RE = re.compile(rf"(?P<label>{_LABEL_ALT})\s*[:：]")
LABEL_LINE_RE = re.compile(rf"^(?P<label>{_LABEL_ALT})\s*[:：]\s*(?P<rest>.*)$")

TASK_RE = re.compile(r"^(?P<num>\d{1,3})\s*[.．、](?!\d)\s*(?P<rest>.*)$")
TASK_PAREN_RE = re.compile(r"^[（(](?P<num>\d{1,3})[)）]\s*(?P<rest>.*)$")
SECTION_RE = re.compile(rf"^(?P<ord>{CN_NUM})\s*[、.．]\s*(?P<rest>.+)$")
SECTION_PAREN_RE = re.compile(rf"^[（(](?P<ord>{CN_NUM})[)）]\s*(?P<rest>.+)$")
DATE_RE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$")
PRINTED_RE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*印发$")
PAGE_NUMBER_RE = re.compile(r"^[—－\-–−]\s*\d{1,3}\s*[—－\-–−]$|^第\s*\d+\s*页(\s*共\s*\d+\s*页)?$")
# Site furniture that a scraped page leaves in the text (see the 2020 web page seed).
FURNITURE_RE = re.compile(
    r"^(今天是[:：]?.*|.*加入收藏.*|.*繁體中文.*|当前位置\s*[:：].*|.*首页\s*(>>|>|»|→).*"
    r"|(编辑|来源|作者|发布时间|时间)\s*[:：].*(访问次数|浏览次数|点击数|阅读数).*"
    r"|.*(字号|字体)\s*[:：]?\s*[【\[]?\s*大\s*[】\]]?\s*[【\[]?\s*中.*|打印本页|关闭窗口|分享到[:：]?.*"
    r"|.*网站标识码.*|.*ICP备.*|主办单位[:：].*)$"
)
PART_RE = re.compile(r"(责任分解|任务分解|分工方案|任务分工|责任分工)(表|方案)?$|民生实事(项目)?$")
FIVE_YEAR_RE = re.compile(r"十([一二三四五六七八九])五")
YEAR_RE = re.compile(r"(\d{4})\s*年")


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    data: dict = field(default_factory=dict)


Rule = Callable[[str], "Token | None"]


def five_year_period(n_chinese: str) -> tuple[int, int]:
    """十五五 → (2026, 2030): the Nth plan from the 3rd (1966–1970) on runs 1966 + 5(N−3)."""
    n = 10 + CN_DIGITS.index(n_chinese)
    start = 1966 + 5 * (n - 3)
    return start, start + 4


def cn_number(s: str) -> int:
    """一 → 1, 十 → 10, 十二 → 12, 二十三 → 23."""
    if s == "十":
        return 10
    if s.startswith("十"):
        return 10 + CN_DIGITS.index(s[1])
    if "十" in s:
        tens, _, ones = s.partition("十")
        return CN_DIGITS.index(tens) * 10 + (CN_DIGITS.index(ones) if ones else 0)
    return CN_DIGITS.index(s)


def rule_blank(s: str) -> Token | None:
    return Token("blank", "") if not s else None


def rule_furniture(s: str) -> Token | None:
    if PAGE_NUMBER_RE.match(s) or FURNITURE_RE.match(s):
        return Token("furniture", s)
    return None


def rule_copied_to(s: str) -> Token | None:
    m = re.match(r"^抄\s*送\s*[:：]\s*(.*)$", s)
    return Token("copied_to", s, {"rest": m.group(1)}) if m else None


def rule_printed(s: str) -> Token | None:
    m = PRINTED_RE.search(s)
    if m and len(re.sub(r"\s+", "", s)) <= 45:
        y, mo, d = (int(x) for x in m.groups())
        data = {"date": f"{y:04d}-{mo:02d}-{d:02d}"}
        # 芜湖市人民政府办公室        2025年2月13日印发 — office and date on one line (GB/T 9704)
        before = s[: m.start()].strip()
        if before:
            data["issuer"] = before
        return Token("printed", s, data)
    return None


def rule_part_heading(s: str) -> Token | None:
    if len(s) > 45 or s[-1] in "。；;，,：:" or "关于" in s or s.endswith("通知"):
        return None
    if TASK_RE.match(s) or SECTION_RE.match(s) or "《" in s:
        return None
    if not PART_RE.search(s):
        return None
    kind = "livelihood" if re.search("民生实事|民生项目|为民办实事", s) else "key_tasks"
    data: dict = {"kind": kind}
    m = FIVE_YEAR_RE.search(s)
    if m:
        data["period"] = five_year_period(m.group(1))
    else:
        y = YEAR_RE.search(s)
        if y:
            data["year"] = int(y.group(1))
    return Token("part", s, data)


def parse_leader_heading(rest: str) -> tuple[str, str, str] | None:
    """``王浩省长牵头重点工作`` → ``("王浩", "省长", "牵头")``; None for a topic heading."""
    for title in LEADER_TITLES:
        i = rest.find(title)
        if i < 2 or i > 4:
            continue
        name = rest[:i]
        after = rest[i + len(title) :]
        if not re.fullmatch(r"[\u4e00-\u9fff·]{2,4}", name):
            continue
        after = after.removeprefix("同志")
        if after.startswith(LEADER_VERBS) or after == "" or after.startswith(("重点工作", "工作")):
            verb = next((v for v in LEADER_VERBS if after.startswith(v)), "")
            return name, title, verb
    return None


def rule_section(s: str) -> Token | None:
    m = SECTION_RE.match(s) or SECTION_PAREN_RE.match(s)
    if not m:
        return None
    rest = m.group("rest").strip()
    if len(rest) > 40 or rest[-1] in "。；;，,":
        return None
    data = {"ordinal": cn_number(m.group("ord")), "rest": rest}
    leader = parse_leader_heading(rest)
    if leader:
        data["leader"] = leader
    return Token("section", s, data)


def rule_label(s: str) -> Token | None:
    m = LABEL_LINE_RE.match(s)
    return Token("label", s, {"label": m.group("label"), "rest": m.group("rest")}) if m else None


def rule_task(s: str) -> Token | None:
    m = TASK_RE.match(s) or TASK_PAREN_RE.match(s)
    if not m:
        return None
    return Token("task", s, {"number": int(m.group("num")), "rest": m.group("rest")})


def rule_date(s: str) -> Token | None:
    m = DATE_RE.match(s)
    if not m:
        return None
    y, mo, d = (int(x) for x in m.groups())
    return Token("date", s, {"date": f"{y:04d}-{mo:02d}-{d:02d}"})


# The ordered rule list. Order matters: a page number is furniture before it is text; a
# 印发 date line is the footer before it is a date; a part heading before a section.
RULES: list[tuple[str, Rule]] = [
    ("blank", rule_blank),
    ("furniture", rule_furniture),
    ("copied_to", rule_copied_to),
    ("printed", rule_printed),
    ("date", rule_date),
    ("part", rule_part_heading),
    ("section", rule_section),
    ("label", rule_label),
    ("task", rule_task),
]


def classify(s: str) -> Token:
    """The token for one stripped line: the first rule that answers, else ``text``."""
    for _name, rule in RULES:
        tok = rule(s)
        if tok is not None:
            return tok
    return Token("text", s)
