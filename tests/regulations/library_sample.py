"""Regulation texts the project writes for the library tests (invented rules of an invented county)."""

from __future__ import annotations

from xuncha.text.numerals import to_chinese

RULES = """青崖县巡察工作规则
（2024年3月1日县委常委会会议通过）

目  录
第一章　总则
第二章　巡察机构
第三章　巡察程序

第一章　总则
第一条　为了规范青崖县巡察工作，加强党内监督，制定本规则。
第二条　巡察工作坚持以下原则：
（一）坚持党的领导；
(二) 坚持实事求是；
（三）坚持依规依纪。
第 三 条　县委巡察工作领导小组负责组织实施巡察工作。
领导小组办公室设在县纪委监委。
第二章　巡察机构
第一节　领导小组
第四条　领导小组的职责包括：
（一）研究部署巡察工作；
（二）听取巡察综合情况汇报。
领导小组每年至少召开两次会议。
第五条　领导小组组长由县委副书记担任。
第二节　巡察组
第六条　巡察组设组长、副组长和组员，实行组长负责制。
第六条之一　巡察组可以邀请有关部门人员参加巡察工作。
第三章　巡察程序
第七条　巡察组进驻后应当召开动员会，公布举报电话和邮箱。
第八条　巡察组应当在巡察结束后向领导小组报告巡察情况。
"""


def long_rules(count: int = 120) -> str:
    """`count` articles in six chapters, each article with two paragraphs and two items."""
    lines = ["青崖县村级巡察工作细则"]
    per_chapter = max(1, count // 6)
    for n in range(1, count + 1):
        if (n - 1) % per_chapter == 0:
            lines.append(f"第{to_chinese((n - 1) // per_chapter + 1)}章　第{n}条以下")
        lines.append(f"第{to_chinese(n)}条　村级组织应当落实第{n}项监督要求：")
        lines.append(f"（一）公开第{n}项事务；")
        lines.append(f"（二）接受群众监督第{n}次。")
        lines.append(f"违反本条规定的，依规处理{n}。")
    return "\n".join(lines)


def import_rules(world, *, committee=None, short_title="规则", label="2024", text=RULES):
    """A regulation of the committee (the county by default) with one version of `text`."""
    from xuncha.access import policy
    from xuncha.regulations import services_library as services

    regulation = services.regulation_create(actor=policy.CONSOLE, committee=committee or world.county,
                                            title="青崖县巡察工作规则", short_title=short_title, issuer="中共青崖县委")
    result = services.version_import(actor=policy.CONSOLE, regulation=regulation, label=label, text=text)
    return result.version
