"""Words for the demo's rules library and study records: which invented texts are loaded, and
the topics and notes of the study activities (all written for the demo)."""

from __future__ import annotations

from datetime import date

ISSUER = "中共青崖县委"
# (file in xuncha/regulations/data, title, short title, label, document number, issued, in force)
VERSIONS = (
    ("xuncha-shishi-banfa-2019.txt", "中共青崖县委巡察工作实施办法", "实施办法", "2019",
     "青发〔2019〕7号", date(2019, 5, 20), date(2019, 6, 1)),
    ("xuncha-shishi-banfa-2024.txt", "中共青崖县委巡察工作实施办法", "实施办法", "2024",
     "青发〔2024〕5号", date(2024, 3, 15), date(2024, 4, 1)),
    ("digao-guanli-banfa-2024.txt", "青崖县巡察工作底稿管理办法", "底稿办法", "2024",
     "青巡办发〔2024〕2号", date(2024, 4, 20), date(2024, 5, 1)),
)
CAMPAIGN_TITLE = "学习贯彻新修订的《中共青崖县委巡察工作实施办法》"
# Articles of the 2024 version that activities link to: mostly what the revision added or changed.
KEY_ARTICLES = (1, 2, 4, 5, 17, 18, 21, 22, 23, 25, 29, 32, 33, 36, 46, 50, 55, 62)
VILLAGE_ARTICLES = (5, 21, 29, 33, 53, 55)

TOWNSHIP_TOPICS = (
    "党委理论学习中心组专题学习新修订的《中共青崖县委巡察工作实施办法》",
    "中心组集中学习巡察工作实施办法修订内容",
    "学习新修订的巡察工作实施办法 研究配合巡察和整改落实工作",
)
VILLAGE_TOPICS = {
    "branch_meeting": ("支部党员大会学习新修订的巡察工作实施办法",
                       "“三会一课”专题学习《中共青崖县委巡察工作实施办法》",
                       "支部会学习巡察工作实施办法 对照村级巡察重点自查"),
    "party_day": ("主题党日：学办法、知巡察、促整改",
                  "主题党日活动学习新修订的巡察工作实施办法",
                  "“巡察知识进村组”主题党日"),
}
LECTURE_TOPICS = ("巡察工作实施办法修订解读专题辅导（面向村（社区）干部）",
                  "新修订巡察工作实施办法村级干部培训班")
OFFICE_TOPICS = ("学习《青崖县巡察工作底稿管理办法》专题辅导",
                 "巡察干部人才库入库人员工作底稿规范培训")

LEARNED = (
    "逐条对照新旧条文，重点学习新增的上下联动、提级巡察和村（社区）巡察内容。",
    "明确了村（社区）巡察重点了解党组织书记履职和“小微权力”运行情况。",
    "结合本单位实际，梳理了巡察反馈问题的整改台账，确定了销号时限。",
    "讨论了整改情况公示的做法，决定在公开栏公示整改进展。",
    "书记领学修订说明，班子成员交流了学习体会。",
    "观看巡察工作警示教育片，党员逐一谈认识。",
    "对照第三十三条自查群众反映问题的受理和回复情况。",
    "学习了整改评估的新规定，安排专人负责整改材料归档。",
)
