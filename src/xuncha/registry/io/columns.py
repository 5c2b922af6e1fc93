"""The Excel format of the registry: sheets and their columns, shared by the importers, the
exporters and the downloadable templates (documented in docs/import-format.md).

Sheet and column names are part of the file format and stay Chinese in every language.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    header: str
    required: bool = False
    width: int = 14
    note: str = ""  # shown as the header cell's comment in the template


ID = "系统编号"

ORG_SHEET = "组织机构"
ORG_NAME, ORG_SHORT, ORG_KIND, ORG_PARENT = "名称", "简称", "类型", "上级组织"
ORG_CODE, ORG_ACTIVE, ORG_PRINCIPAL = "统一社会信用代码", "是否在册", "主要负责人"
ORG_COLUMNS = (
    Column(ID, width=10, note="导出文件带出的编号。填写则修改该组织，留空则新建。"),
    Column(ORG_NAME, True, 28, "必填。例：东门村"),
    Column(ORG_SHORT, width=14, note="可空。"),
    Column(ORG_KIND, True, 14, "必填。填写“说明”表中列出的类型，例：村/社区"),
    Column(ORG_PARENT, width=24, note="上级组织的名称，可以是本表中的另一行（先后不限）。"
                                      "同名时写“上级/名称”，例：城关镇/东门村"),
    Column(ORG_CODE, width=22, note="18位，可空。"),
    Column(ORG_ACTIVE, width=10, note="是/否，留空为“是”。"),
    Column(ORG_PRINCIPAL, width=12, note="该组织中已登记人员的姓名，可空；"
                                         "人员尚未导入时可在导入人员后再次导入本表。"),
)

PEOPLE_SHEET = "人员"
SEQ, PERSON_NAME, GENDER, BIRTH_DATE = "序号", "姓名", "性别", "出生日期"
PERSON_ORG, POST, PHONE = "所在组织", "职务", "联系电话"
PEOPLE_COLUMNS = (
    Column(ID, width=10, note="导出文件带出的编号。填写则修改该人员，留空则新建。"),
    Column(SEQ, width=8, note="本文件内的编号，供“工作经历”“亲属关系”表引用。"),
    Column(PERSON_NAME, True, 12, "必填。例：王建国"),
    Column(GENDER, width=8, note="男/女，可空。"),
    Column(BIRTH_DATE, width=14, note="日期，例：1975-03-08、1975年3月8日、1975/3/8"),
    Column(PERSON_ORG, width=28, note="组织机构名称，须已登记；同名时写“上级/名称”，例：城关镇/东门村"),
    Column(POST, width=20, note="例：村党支部书记"),
    Column(PHONE, width=16, note="11位手机号，或带区号的固定电话，例：0871-12345678"),
)

WORK_SHEET = "工作经历"
PERSON_SEQ, WORK_ORG, START, END = "人员序号", "工作单位", "起始日期", "截止日期"
WORK_COLUMNS = (
    Column(PERSON_SEQ, True, 10, "必填。“人员”表中的序号。"),
    Column(WORK_ORG, True, 28, "必填。已登记组织的名称，或其他单位的名称。"),
    Column(POST, width=20),
    Column(START, True, 14, "必填。日期。"),
    Column(END, width=14, note="可空（至今）。"),
)

RELATIVES_SHEET = "亲属关系"
RELATION, RELATIVE_NAME = "关系", "姓名"
RELATIVE_COLUMNS = (
    Column(PERSON_SEQ, True, 10, "必填。“人员”表中的序号。"),
    Column(RELATION, True, 10, "必填。配偶/父母/子女/兄弟姐妹/姻亲/其他"),
    Column(RELATIVE_NAME, True, 12, "必填。"),
    Column(WORK_ORG, width=28),
    Column(POST, width=20),
)

HELP_SHEET = "说明"

YES, NO = "是", "否"
TRUE_WORDS = {"是", "在册", "y", "yes", "true", "1", "√"}
FALSE_WORDS = {"否", "不在册", "n", "no", "false", "0", "×"}
GENDER_WORDS = {"男": "M", "女": "F", "m": "M", "f": "F"}
GENDER_LABELS = {"M": "男", "F": "女"}
# The words of the template first: they are what an export writes.
RELATION_WORDS = {
    "配偶": "spouse", "父母": "parent", "子女": "child", "兄弟姐妹": "sibling", "姻亲": "in_law",
    "其他": "other",
    "丈夫": "spouse", "妻子": "spouse", "夫妻": "spouse", "父亲": "parent", "母亲": "parent",
    "儿子": "child", "女儿": "child", "哥哥": "sibling", "弟弟": "sibling", "姐姐": "sibling",
    "妹妹": "sibling", "兄弟": "sibling", "姐妹": "sibling", "岳父": "in_law", "岳母": "in_law",
    "公公": "in_law", "婆婆": "in_law", "儿媳": "in_law", "女婿": "in_law",
    "其他近亲属": "other",
}
RELATION_LABELS = {code: word for word, code in reversed(list(RELATION_WORDS.items()))}


def header_key(text: object) -> str:
    """Headers compare without spaces, required-marks or width differences: "名称*" = "名称"."""
    folded = unicodedata.normalize("NFKC", str(text or ""))
    return "".join(folded.split()).rstrip("*").strip()
