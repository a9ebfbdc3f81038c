"""Word pools for the demo generator. Every person, company, community and grid name is invented.

Surnames follow the broad mix of a Ningxia city (Han and Hui families: 马, 杨, 王, 李 ... are
common); given names are drawn from ordinary characters. Any resemblance to real people or
companies is accidental.
"""

from __future__ import annotations

import random

SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田"
    "任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
)
# Surname weights: the first ones are much more frequent; 马 and 杨 are boosted for Ningxia.
_SURNAME_WEIGHTS = [max(1.0, 30 - i * 0.3) for i in range(len(SURNAMES))]
_SURNAME_WEIGHTS[SURNAMES.index("马")] = 40
_SURNAME_WEIGHTS[SURNAMES.index("杨")] = 30

GIVEN_CHARS = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红梅建国文辉鹏飞宇浩凯俊峰晓燕丹玲雪婷海波亮"
    "春梅志强永福德胜金花凤琴宏伟学军兴旺海燕立新卫东小龙晨曦佳怡子涵思远嘉欣雨桐博文梓萱浩然"
)

COMMUNITY_WORDS = [
    "朝阳", "新华", "胜利", "和平", "幸福", "光明", "建设", "团结", "友谊", "前进", "东风", "红旗", "振兴",
    "长青", "康乐", "锦绣", "兴盛", "丰收", "永安", "新民", "富民", "安居", "泰和", "福泰", "春晖", "阳光",
    "紫荆", "翠园", "雅居", "怡景", "滨河", "沙湖", "星光", "北环", "南苑", "西岭", "东苑", "新村", "民乐",
]
VILLAGE_WORDS = [
    "东风", "红星", "前进", "永丰", "五星", "新丰", "联合", "胜利", "先锋", "光明", "幸福", "和平", "新建",
    "丰盛", "金星", "火星", "渠口", "西河", "东河", "南沟", "北滩", "沙渠", "六顷", "八顷", "通北", "通南",
    "新潮", "新桥", "团结", "星光", "双渠", "河东", "庙庙", "高荣", "靖口", "下庙",
]

COMPANY_PLACES = ["石嘴山市", "大武口区", "惠农区", "平罗县", "宁夏"]
COMPANY_WORDS = [
    "鑫源", "宏达", "恒泰", "瑞丰", "金诚", "永盛", "嘉禾", "华信", "塞上", "贺兰", "沙湖", "星海", "天成",
    "汇通", "博远", "隆基", "昌盛", "顺安", "新恒", "润泽",
]
COMPANY_TRADES = [
    ("商贸", "有限公司"), ("建筑工程", "有限公司"), ("物业服务", "有限公司"), ("汽车运输", "有限公司"),
    ("装饰工程", "有限公司"), ("餐饮管理", "有限公司"), ("农业开发", "有限公司"), ("煤炭销售", "有限公司"),
    ("机械设备", "有限公司"), ("家政服务", "有限公司"), ("房地产开发", "有限公司"), ("小额贷款", "有限公司"),
    ("化工", "有限责任公司"), ("冶金", "有限责任公司"), ("电子商务", "有限公司"),
]


def person_name(rng: random.Random) -> str:
    surname = rng.choices(SURNAMES, weights=_SURNAME_WEIGHTS)[0]
    length = rng.choices((1, 2), weights=(30, 70))[0]
    return surname + "".join(rng.choice(GIVEN_CHARS) for _ in range(length))


def company_name(rng: random.Random, trade: tuple[str, str] | None = None) -> str:
    business, form = trade or rng.choice(COMPANY_TRADES)
    return f"{rng.choice(COMPANY_PLACES)}{rng.choice(COMPANY_WORDS)}{business}{form}"


def mobile(rng: random.Random) -> str:
    # Prefixes every operator really issues, so phonenumbers accepts them as mobile numbers.
    prefix = rng.choice(("139", "138", "137", "136", "135", "150", "151", "152", "158", "159", "182", "187",
                         "130", "131", "132", "155", "156", "186", "133", "153", "180", "181", "189", "177", "199"))
    return prefix + f"{rng.randrange(10**8):08d}"
