from django.db import models


class RegionLevel(models.IntegerChoices):
    CITY = 2, "地级市"
    COUNTY = 3, "县（区）"
    TOWNSHIP = 4, "乡镇（街道）"
    COMMUNITY = 5, "社区（村）"
    GRID = 6, "网格"


class OrganisationKind(models.TextChoices):
    INTERMEDIATE_COURT = "intermediate_court", "中级人民法院"
    BASIC_COURT = "basic_court", "基层人民法院"
    TRIBUNAL = "tribunal", "人民法庭"
    SERVICE_STATION = "service_station", "诉讼服务站"
    GOVERNANCE_CENTRE = "governance_centre", "综治中心"
    PETITION_OFFICE = "petition_office", "信访部门"
    JUSTICE_BUREAU = "justice_bureau", "司法行政机关"
    PEOPLES_MEDIATION = "peoples_mediation", "人民调解委员会"
    ADMINISTRATIVE_MEDIATION = "administrative_mediation", "行政调解组织"
    INDUSTRY_MEDIATION = "industry_mediation", "行业性专业性调解组织"
    LAWYER_MEDIATION = "lawyer_mediation", "律师调解组织"
    ARBITRATION = "arbitration", "仲裁机构"
    NOTARY = "notary", "公证机构"
    INDUSTRY_BODY = "industry_body", "行业协会/主管部门"
    INSTITUTION = "institution", "批量起诉机构"

    @classmethod
    def courts(cls) -> frozenset[str]:
        return frozenset({cls.INTERMEDIATE_COURT, cls.BASIC_COURT})

    @classmethod
    def mediating(cls) -> frozenset[str]:
        return frozenset(
            {
                cls.PEOPLES_MEDIATION,
                cls.ADMINISTRATIVE_MEDIATION,
                cls.INDUSTRY_MEDIATION,
                cls.LAWYER_MEDIATION,
                cls.TRIBUNAL,
                cls.BASIC_COURT,
                cls.INTERMEDIATE_COURT,
                cls.GOVERNANCE_CENTRE,
                cls.ARBITRATION,
                cls.NOTARY,
            }
        )


class MediatorKind(models.TextChoices):
    PEOPLES = "peoples", "人民调解员"
    INDUSTRY = "industry", "行业调解员"
    PROFESSIONAL = "professional", "专业调解员"
    LAWYER = "lawyer", "律师调解员"
    INVITED = "invited", "特邀调解员"


class MediatorStatus(models.TextChoices):
    ACTIVE = "active", "在册可派"
    PAUSED = "paused", "暂停接案"
    RETIRED = "retired", "已退出名册"
