from django.db import models


class SuggestionStatus(models.TextChoices):
    """A judicial suggestion (司法建议) from drafting to closure. Only ``lifecycle.py`` changes it."""

    DRAFT = "draft", "草稿"
    ISSUED = "issued", "已发出，待回复"
    REPLIED = "replied", "已回复，待评估"
    CLOSED = "closed", "已办结"
    WITHDRAWN = "withdrawn", "已撤回"
