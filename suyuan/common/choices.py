"""Enumerations shared by several apps."""

from django.db import models


class DisputeCategory(models.TextChoices):
    """The plain-language categories citizens and grid workers use.

    They also describe a mediator's specialties; the triage app maps them onto the SPC cause list.
    """

    FAMILY = "family", "婚姻家庭"
    LABOUR = "labour", "劳动争议"
    TRAFFIC = "traffic", "交通事故"
    DEBT = "debt", "借贷债务"
    PROPERTY_MGMT = "property_mgmt", "物业纠纷"
    REAL_ESTATE = "real_estate", "房产纠纷"
    CONTRACT = "contract", "合同纠纷"
    TORT = "tort", "侵权纠纷"
    MEDICAL = "medical", "医疗纠纷"
    CONSUMER = "consumer", "消费纠纷"
    FINANCE = "finance", "金融纠纷"
    LAND = "land", "征地拆迁"
    NEIGHBOUR = "neighbour", "邻里纠纷"
    ADMINISTRATIVE = "administrative", "行政争议"
    OTHER = "other", "其他纠纷"
