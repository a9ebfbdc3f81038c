from django.db import models


class PartyKind(models.TextChoices):
    NATURAL = "natural", "自然人"
    LEGAL = "legal", "法人"
    OTHER_ORG = "other_org", "非法人组织"


class MatchFlagStatus(models.TextChoices):
    OPEN = "open", "待核实"
    SAME = "same", "确认为同一人"
    DIFFERENT = "different", "确认非同一人"
