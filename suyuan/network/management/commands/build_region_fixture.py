"""Rebuild the shipped Shizuishan region fixture from the NBS division codes.

The fixture is committed (a user's machine has no ../shared); this command documents and
repeats how it was made:

    .venv/bin/python manage.py build_region_fixture --source ../shared/data/admin-divisions-cn
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

CITY_CODE = "6402"
NBS_SOURCE = "国家统计局 2023年统计用区划代码（modood/Administrative-divisions-of-China 57a0aa9）"
# 第七次全国人口普查 (2020-11-01 零时常住人口): 石嘴山市第七次全国人口普查公报（第一号、第二号），
# 石嘴山市统计局、石嘴山市第七次全国人口普查领导小组办公室，2021-06。
CENSUS_SOURCE = "石嘴山市第七次全国人口普查公报（2021年6月），2020年11月1日零时常住人口"
POPULATION = {"6402": 751389, "640202": 298292, "640205": 178891, "640221": 274206}


def pad(code: str) -> str:
    return code.ljust(12, "0")


class Command(BaseCommand):
    help = "从国家统计局区划代码生成石嘴山市区划参考数据（fixture）。"

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--source", default="../shared/data/admin-divisions-cn")
        parser.add_argument("--output", default="suyuan/network/fixtures/shizuishan_regions.json")

    def handle(self, *args: object, **options: str) -> None:
        source = Path(options["source"])
        if not source.is_dir():
            raise CommandError(f"找不到区划数据目录：{source}")
        rows: list[dict[str, object]] = []

        paths: dict[str, str] = {}

        def add(code: str, name: str, level: int, parent: str | None) -> None:
            paths[code] = f"{paths[parent]}/{pad(code)}" if parent else pad(code)
            fields: dict[str, object] = {
                "code": pad(code),
                "name": name,
                "level": level,
                "parent": [pad(parent)] if parent else None,
                "path": paths[code],
                "generated": False,
                "population": POPULATION.get(code),
                "population_source": CENSUS_SOURCE if code in POPULATION else "",
            }
            rows.append({"model": "network.region", "fields": fields})

        with (source / "cities.csv").open(encoding="utf-8") as f:
            city = next(r for r in csv.DictReader(f) if r["code"] == CITY_CODE)
        add(city["code"], city["name"], 2, None)
        with (source / "areas.csv").open(encoding="utf-8") as f:
            counties = [r for r in csv.DictReader(f) if r["cityCode"] == CITY_CODE]
        for county in counties:
            add(county["code"], county["name"], 3, CITY_CODE)
        with (source / "streets_ningxia_64.csv").open(encoding="utf-8") as f:
            townships = [r for r in csv.DictReader(f) if r["cityCode"] == CITY_CODE]
        for town in townships:
            add(town["code"], town["name"], 4, town["areaCode"])
        # Natural keys (the codes) keep the fixture readable and stable across databases.
        out = Path(options["output"])
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(rows, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        self.stdout.write(f"regions={len(rows)} source={NBS_SOURCE}")
