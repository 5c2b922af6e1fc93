"""Fixtures for the checklist tests: a small checklist written here (not the shipped one,
which may still change), installed for the county's villages."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.utils import translation

from xuncha.access.policy import CONSOLE
from xuncha.checklist import services
from xuncha.checklist.models import Item

SMALL_YAML = """\
kind: village
name: 村（社区）测试指引清单
items:
  - key: V1
    title: 贯彻落实党的路线方针政策情况
    children:
      - key: V1.1
        title: 乡村振兴政策落实
        children:
          - key: V1.1.1
            title: 惠农补贴发放不及时
            note: 含耕地地力保护补贴
            children:
              - key: V1.1.1.1
                title: 调阅补贴发放台账，入户核实
  - key: V2
    title: 群众身边不正之风和腐败问题
    children:
      - key: V2.1
        title: 村集体“三资”管理
        children:
          - key: V2.1.1
            title: 村集体资金坐收坐支
            children:
              - key: V2.1.1.1
                title: 调阅会计凭证和银行流水
              - key: V2.1.1.2
                title: 个别谈话
          - key: V2.1.2
            title: 集体资产发包不公开
"""


@pytest.fixture(autouse=True)
def _english():
    """Messages are matched in English: the Chinese catalogue may still change."""
    with translation.override("en"):
        yield


@pytest.fixture
def shipped(tmp_path, monkeypatch):
    """Point the shipped-files directory at a temporary one holding SMALL_YAML as village."""
    (tmp_path / "village.yaml").write_text(SMALL_YAML, encoding="utf-8")
    monkeypatch.setattr(services, "DATA_DIR", tmp_path)
    return tmp_path


@pytest.fixture
def checklist(world, shipped):
    """The county's village checklist, installed from SMALL_YAML as published version 1."""
    library = services.install_default(actor=CONSOLE, committee=world.county, kind_code="village")
    v1 = library.versions.get()
    return SimpleNamespace(library=library, v1=v1,
                           items={i.key: i for i in Item.objects.filter(version=v1)})
