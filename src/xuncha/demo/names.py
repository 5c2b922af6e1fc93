"""Invented names for the demo county: people and places composed from character pools.

Every name is drawn from a seeded `random.Random`, so one seed always gives the same county.
Place stems that are the names of real county-level or prefecture-level places, or of famous
sites, are refused, and so are the names of well-known people: the demo must not look like it
describes anyone or anywhere real.
"""

from __future__ import annotations

import random

# Common surnames with rough weights, so that 王, 李, 张 … come up as often as they do in life.
SURNAMES: tuple[tuple[str, int], ...] = (
    ("王", 16), ("李", 16), ("张", 14), ("刘", 10), ("陈", 10), ("杨", 12), ("赵", 6),
    ("黄", 6), ("周", 5), ("吴", 5), ("徐", 4), ("孙", 4), ("胡", 4), ("朱", 4), ("高", 3),
    ("林", 3), ("何", 4), ("郭", 3), ("马", 4), ("罗", 4), ("梁", 2), ("宋", 2), ("郑", 2),
    ("谢", 2), ("韩", 2), ("唐", 2), ("冯", 2), ("于", 1), ("董", 2), ("肖", 2), ("程", 1),
    ("曹", 1), ("袁", 1), ("邓", 2), ("许", 1), ("傅", 1), ("沈", 1), ("曾", 1), ("彭", 1),
    ("吕", 1), ("苏", 1), ("卢", 1), ("蒋", 1), ("蔡", 1), ("贾", 1), ("丁", 1), ("魏", 1),
    ("薛", 1), ("叶", 1), ("余", 2), ("潘", 1), ("杜", 1), ("戴", 1), ("夏", 1), ("钟", 1),
    ("汪", 1), ("田", 2), ("任", 1), ("姜", 1), ("范", 1), ("方", 1), ("石", 1), ("姚", 1),
    ("谭", 1), ("廖", 1), ("邹", 1), ("熊", 1), ("陆", 1), ("孔", 1), ("白", 1), ("崔", 1),
    ("毛", 1), ("邱", 1), ("秦", 1), ("江", 1), ("段", 2), ("普", 1), ("者", 1),
)

# Given-name characters, by gender and by generation (names changed with the decades).
GIVEN_MALE_OLD = "建国华明伟军平勇刚峰林志文武新成东海春荣庆德昌贵祥福忠兴学光亮松永江山超云宏"
GIVEN_MALE_YOUNG = "浩宇俊杰涛斌波辉磊鹏飞凯锋晨阳睿轩博豪翔旭航帆哲铭鑫瑞泽鸿毅坤"
GIVEN_FEMALE_OLD = "芳丽梅敏静燕霞玲娟琴萍艳秀英兰凤洁慧红桂菊珍琼华春云素美淑"
GIVEN_FEMALE_YOUNG = "婷雪娜莉倩媛琳薇颖佳欣怡悦月晓蕾璐瑶雯琪丹妍露婧菲玥"

# Well-known people (leaders, sportspeople, artists, entrepreneurs, writers, historical figures)
# whose names the pools above could produce or come close to; a generated name equal to one
# of them is drawn again.
FAMOUS_PEOPLE = frozenset("""
李强 王毅 李鹏 李希 韩正 汪洋 刘鹤 王晨 陈希 尤权 张军 应勇 周强 王勇 赵乐际 王沪宁 蔡奇 丁薛祥
李克强 胡锦涛 温家宝 江泽民 习近平 张高丽 刘云山 俞正声 张德江 杨洁篪 何立峰 孙春兰 胡春华
陈敏尔 李鸿忠 黄坤明 陈全国 郭声琨 杨晓渡 马兴瑞 许其亮 张又侠 刘国中 张国清 吴政隆 秦刚
魏凤和 李尚福 王小洪 陈文清 曹建明 孟建柱 周永康 薄熙来 令计划 徐才厚 郭伯雄 孙政才 王立军
毛泽东 周恩来 朱德 刘少奇 邓小平 陈云 彭德怀 林彪 贺龙 叶剑英 李先念 杨尚昆 华国锋 胡耀邦
赵紫阳 王洪文 张春桥 孙中山 蒋介石 宋庆龄 宋美龄 雷锋 焦裕禄 孔繁森 张桂梅 王进喜 杨善洲
成龙 刘德华 周杰伦 王菲 章子怡 范冰冰 赵薇 李娜 刘翔 姚明 郎平 李宁 马云 马化腾 李彦宏
刘强东 雷军 任正非 王健林 董明珠 张艺谋 冯小刚 陈凯歌 莫言 鲁迅 巴金 老舍 王杰 刘欢 那英
韩红 李宇春 张靓颖 周迅 孙俪 杨幂 赵丽颖 刘诗诗 黄晓明 邓超 吴京 沈腾 黄渤 徐峥 王宝强 胡歌
张杰 谢娜 何炅 汪涵 李冰冰 赵本山 宋丹丹 郭德纲 岳云鹏 王力宏 林俊杰 陈奕迅 张学友 郭富城
黎明 梁朝伟 周润发 刘嘉玲 张曼玉 林青霞 邓丽君 蔡依林 李连杰 甄子丹 吴彦祖 杨紫 张国荣
杨利伟 钱学森 袁隆平 屠呦呦 钟南山 邓稼先 孙杨 郭晶晶 邓亚萍 王楠 张怡宁 马龙 许昕 樊振东
丁宁 刘国梁 林丹 谌龙 易建联 武磊 郑智 孙雯 白岩松 崔永元 董卿 朱军 李咏 倪萍 杨澜 柴静
罗永浩 丁磊 王兴 张一鸣 黄峥 程维 李书福 柳传志 杨元庆 张瑞敏 宗庆后 王石 王传福 曹德旺
刘慈欣 余华 贾平凹 王蒙 金庸 琼瑶 三毛 韩寒 郭敬明 冰心 茅盾 胡适 梁启超 林则徐 曾国藩
李鸿章 左宗棠 岳飞 李白 杜甫 王维 苏轼 刘备 关羽 张飞 赵云 孙权 周瑜 吕布 刘邦 项羽 曹操
陈红 刘涛 李静 王刚 王姬 陈坤 陈宝国 李雪健 唐国强 张丰毅 孙红雷 陈道明 蒋雯丽 宋祖英 彭丽媛
""".split())

# Place stems: a head character and a tail character (青+岭 → 青岭), sometimes with an ending
# (石坝+子 → 石坝子), the way villages in the hills are named.
PLACE_HEADS = "青石云松柳桃杏梨竹枫槐榆柏杉兰荷菱芦茶麻白黄红金银玉翠碧丹龙凤鹤鹿马牛羊雁燕大小新老高长双三五七九清明德福仁顺瑞祥"
PLACE_TAILS = "岭坪坝溪沟湾塘庄田冲岗桥泉营寨滩岩峰源井坡园铺屯场渡堡垭箐甸哨"
PLACE_ENDINGS = "子头脚边上下"
# Words that urban communities (社区) are often named after.
COMMUNITY_WORDS = (
    "幸福", "建设", "团结", "光明", "文化", "嘉园", "育才", "春晖", "锦绣", "和谐", "民生",
    "新风", "秀水", "晨曦", "金桂", "玉兰", "紫荆", "桂园", "翠苑", "梧桐", "馨园", "锦苑",
    "尚德", "怡景", "绿荫", "书香", "朝晖", "柳岸", "青年", "聚贤",
)

# Stems that the pools can produce and that are the names of real county-level or
# prefecture-level places (checked against the national list of divisions), or of famous
# villages (大寨, 小岗) and places outside the mainland list (桃园).
REAL_PLACE_STEMS = frozenset("""
丰泽 丹寨 云岩 云溪 五寨 五峰 五营 兰坪 兰溪 兴业 凤泉 双峰 双桥 同心 大田 安居 康乐 振兴 新源 新田
明溪 松溪 桃源 玉泉 玉溪 玉田 石峰 石泉 福泉 福田 竹溪 红岗 红桥 芦溪 荷塘 金寨 金湾 金溪 长岭 雁峰
青田 高坪 鹤岗 鹤峰 鹿寨 鹿泉 黄岩 龙井 龙岗 龙岩 龙泉 龙湾 大寨 小岗 桃园
""".split())


def _weighted_surnames() -> list[str]:
    return [name for name, weight in SURNAMES for _ in range(weight)]


class NamePool:
    """Draws names from a seeded random source and never gives the same one twice."""

    def __init__(self, rng: random.Random, *, reserved: set[str] | None = None) -> None:
        self.rng = rng
        self._surnames = _weighted_surnames()
        self._people: set[str] = set()
        self._places: set[str] = set(reserved or ())

    # -- people ---------------------------------------------------------------------------

    def surname(self) -> str:
        return self.rng.choice(self._surnames)

    def given_name(self, gender: str, birth_year: int) -> str:
        if gender == "F":
            pool = GIVEN_FEMALE_OLD if birth_year < 1978 else GIVEN_FEMALE_YOUNG
        else:
            pool = GIVEN_MALE_OLD if birth_year < 1978 else GIVEN_MALE_YOUNG
        if self.rng.random() < 0.35:
            return self.rng.choice(pool)
        first, second = self.rng.choice(pool), self.rng.choice(pool)
        # Doubled characters (婷婷) are common for women, odd for men.
        if first == second and (gender != "F" or self.rng.random() < 0.6):
            second = self.rng.choice(pool)
        return first + second

    def person(self, gender: str, birth_year: int, *, surname: str | None = None) -> str:
        """A new full name; `surname` fixes the family name (children, siblings)."""
        for _ in range(1000):
            name = (surname or self.surname()) + self.given_name(gender, birth_year)
            if name not in self._people and name not in FAMOUS_PEOPLE:
                self._people.add(name)
                return name
        raise RuntimeError("the name pools are exhausted")  # pragma: no cover

    # -- places ---------------------------------------------------------------------------

    def _take_place(self, stem: str) -> bool:
        if stem in self._places or stem in REAL_PLACE_STEMS:
            return False
        self._places.add(stem)
        return True

    def place_stem(self, *, ending_chance: float = 0.0) -> str:
        """A new place stem such as 青岭 or 石坝子; never a real place's name."""
        for _ in range(5000):
            stem = self.rng.choice(PLACE_HEADS) + self.rng.choice(PLACE_TAILS)
            if stem[0] == stem[1]:
                continue
            if self.rng.random() < ending_chance:
                stem += self.rng.choice(PLACE_ENDINGS)
            if self._take_place(stem):
                return stem
        raise RuntimeError("the place pools are exhausted")  # pragma: no cover

    def community_stem(self) -> str:
        """A new name for an urban community (社区), e.g. 春晖."""
        words = [w for w in COMMUNITY_WORDS if w not in self._places]
        while words:
            word = self.rng.choice(words)
            words.remove(word)
            if self._take_place(word):
                return word
        return self.place_stem()
