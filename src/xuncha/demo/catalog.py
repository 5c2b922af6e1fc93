"""What the demo county is made of: its committees, departments, units and the posts in them.

Department names are the generic ones every county has; only the committees' and places'
names are invented (see names.py).
"""

from __future__ import annotations

from dataclasses import dataclass

CITY_NAME = "霁川市"
COUNTY_NAME = "青崖县"
NEIGHBOUR_NAME = "栖梧县"
# Reserved so that no township or village is named like one of the committees.
COMMITTEE_STEMS = frozenset({"霁川", "青崖", "栖梧"})

TOWNSHIPS = {"street": 3, "town": 7, "xiang": 2}  # 12 townships and streets (乡镇/街道)
VILLAGES = 108  # village-level organizations (村/社区): later statistics rely on 108
VILLAGES_PER_TOWNSHIP = (6, 12)
PEOPLE = 600
NEIGHBOUR_TOWNSHIPS = 4
NEIGHBOUR_VILLAGES_PER_TOWNSHIP = 2


@dataclass(frozen=True)
class Department:
    name: str
    head: str
    deputy: str
    staff: str


def _dept(name: str, head: str = "局长", deputy: str = "副局长", staff: str = "科员") -> Department:
    return Department(name, head, deputy, staff)


DISCIPLINE = "县纪委监委"
ORGANIZATION_DEPARTMENT = "县委组织部"
GENERAL_OFFICE = "县委办公室"
INSPECTION_OFFICE = "县委巡察工作领导小组办公室"

COUNTY_DEPARTMENTS: tuple[Department, ...] = (
    _dept(GENERAL_OFFICE, "主任", "副主任"),
    _dept("县人大常委会办公室", "主任", "副主任"),
    _dept("县政府办公室", "主任", "副主任"),
    _dept("县政协办公室", "主任", "副主任"),
    _dept(DISCIPLINE, "县纪委书记、县监委主任", "县纪委副书记、县监委副主任", "纪检监察员"),
    _dept(ORGANIZATION_DEPARTMENT, "部长", "副部长"),
    _dept("县委宣传部", "部长", "副部长"),
    _dept("县委统战部", "部长", "副部长"),
    _dept("县委政法委员会", "书记", "副书记"),
    _dept("县委机构编制委员会办公室", "主任", "副主任"),
    _dept(INSPECTION_OFFICE, "主任", "副主任"),
    _dept("县委党校", "常务副校长", "副校长", "教师"),
    _dept("县发展和改革局"),
    _dept("县教育体育局"),
    _dept("县科技和工业信息化局"),
    _dept("县公安局", staff="民警"),
    _dept("县民政局"),
    _dept("县司法局"),
    _dept("县财政局"),
    _dept("县人力资源和社会保障局"),
    _dept("县自然资源局"),
    _dept("县住房和城乡建设局"),
    _dept("县交通运输局"),
    _dept("县水务局"),
    _dept("县农业农村局"),
    _dept("县林业和草原局"),
    _dept("县商务局"),
    _dept("县文化和旅游局"),
    _dept("县卫生健康局"),
    _dept("县退役军人事务局"),
    _dept("县应急管理局"),
    _dept("县审计局"),
    _dept("县市场监督管理局"),
    _dept("县统计局"),
    _dept("县医疗保障局"),
    _dept("县信访局"),
    _dept("县政务服务管理局"),
    _dept("县融媒体中心", "主任", "副主任", "记者"),
    _dept("县人民法院", "院长", "副院长", "法官"),
    _dept("县人民检察院", "检察长", "副检察长", "检察官"),
    _dept("县总工会", "主席", "副主席", "干事"),
    _dept("团县委", "书记", "副书记", "干事"),
    _dept("县妇女联合会", "主席", "副主席", "干事"),
    _dept("县供销合作社联合社", "理事会主任", "理事会副主任", "职员"),
)

NEIGHBOUR_DEPARTMENTS: tuple[Department, ...] = (
    _dept(GENERAL_OFFICE, "主任", "副主任"),
    _dept("县财政局"),
    _dept("县教育体育局"),
)

CITY_DEPARTMENTS: tuple[Department, ...] = (
    _dept("市纪委监委", "市纪委书记、市监委主任", "市纪委副书记、市监委副主任", "纪检监察员"),
    _dept("市委组织部", "部长", "副部长"),
    _dept("市委巡察工作领导小组办公室", "主任", "副主任"),
    _dept("市财政局"),
)

# Units named after the county ("{county}第一中学"), with their posts.
SOES: tuple[Department, ...] = tuple(
    Department(name, "党支部书记、董事长", "副总经理", "职员") for name in (
        "{county}城市建设投资开发有限责任公司",
        "{county}水务投资有限公司",
        "{county}农业发展投资有限公司",
        "{county}文化旅游投资有限公司",
        "{county}国有资本运营有限公司",
    )
)
SCHOOLS: tuple[Department, ...] = tuple(
    Department(name, "党支部书记、校长", "副校长", "教师") for name in (
        "{county}第一中学",
        "{county}第二中学",
        "{county}民族中学",
        "{county}职业高级中学",
        "{county}实验小学",
        "{county}第一小学",
        "{county}特殊教育学校",
        "{county}幼儿园",
    )
)
HOSPITALS: tuple[Department, ...] = tuple(
    Department(name, "党委书记", "副院长", "医生") for name in (
        "{county}人民医院",
        "{county}中医医院",
        "{county}妇幼保健院",
        "{county}第二人民医院",
    )
)

# Posts in townships and streets: (principal, head of government, others).
TOWNSHIP_POSTS = {
    "镇": ("党委书记", "镇长", ("党委副书记", "纪委书记", "组织委员", "宣传委员", "副镇长", "党政办主任", "科员")),
    "乡": ("党委书记", "乡长", ("党委副书记", "纪委书记", "组织委员", "宣传委员", "副乡长", "党政办主任", "科员")),
    "街道": ("党工委书记", "办事处主任", ("党工委副书记", "纪工委书记", "组织委员", "办事处副主任", "党政办主任", "科员")),
}
# Posts in villages and communities: (principal, committee head, supervisory committee head).
VILLAGE_POSTS = {
    "村": ("村党支部书记", "村委会主任", "村务监督委员会主任"),
    "社区": ("社区党支部书记", "社区居委会主任", "社区居务监督委员会主任"),
}
# Posts held earlier in an organization of each kind (work history).
EARLIER_POSTS = {
    "township": ("科员", "党政办副主任", "副{head}"),
    "department": ("科员", "副主任科员", "办公室主任"),
    "village": ("村委会委员", "村民小组组长", "村文书"),
    "school": ("教师", "教务主任"),
    "hospital": ("医生", "科室主任"),
    "soe": ("职员", "部门经理"),
}

# What relatives do when they are not in a registered organization.
RELATIVE_ELSEWHERE = ("在外务工", "个体经营", "务农", "退休", "学生", "自由职业")
