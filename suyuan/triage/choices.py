from django.db import models


class TriageTask(models.TextChoices):
    """What the system proposes and the clerk decides, one decision each."""

    CAUSE = "cause", "案由"
    TRACK = "track", "程序"
    PATH = "path", "解纷路径"


class Track(models.TextChoices):
    SMALL_CLAIMS = "small_claims", "小额诉讼程序"
    SIMPLE = "simple", "简易程序"
    ORDINARY = "ordinary", "普通程序"


class Path(models.TextChoices):
    PEOPLES_MEDIATION = "peoples_mediation", "诉前人民调解（人民调解委员会）"
    PROFESSIONAL_MEDIATION = "professional_mediation", "诉前行业性专业性调解"
    COURT_REFERRED_MEDIATION = "court_referred_mediation", "立案后委托调解"
    FAST_TRACK = "fast_track", "速裁快审"
    ORDINARY = "ordinary", "普通审理"
