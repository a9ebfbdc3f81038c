from django.db import models


class Role(models.TextChoices):
    """The roles of DESIGN §1. A user has exactly one role; scope comes with it (see selectors)."""

    PARTY = "party", "当事人"
    GRID_WORKER = "grid_worker", "网格员"
    MEDIATOR = "mediator", "调解员"
    ORG_ADMIN = "org_admin", "调解组织管理员"
    CENTRE_STAFF = "centre_staff", "综治中心工作人员"
    CLERK = "clerk", "立案/诉讼服务人员"
    JUDGE = "judge", "法官/法官助理"
    ENFORCEMENT = "enforcement", "执行员"
    LEADER = "leader", "院领导/联席会议成员"
    SYSADMIN = "sysadmin", "系统管理员"
    SECURITY_ADMIN = "security_admin", "安全管理员"
    AUDITOR = "auditor", "安全审计员"
    # 两代表一委员: NPC deputies and CPPCC members invited to observe or take part (voice app).
    DEPUTY = "deputy", "人大代表/政协委员"


COURT_ROLES = frozenset({Role.CLERK, Role.JUDGE, Role.ENFORCEMENT})
# Roles that read disputes' contents at all. The three administration roles are kept apart from
# case data (separation of admin, security and audit duties).
CASE_ROLES = frozenset(
    {
        Role.PARTY,
        Role.GRID_WORKER,
        Role.MEDIATOR,
        Role.ORG_ADMIN,
        Role.CENTRE_STAFF,
        Role.CLERK,
        Role.JUDGE,
        Role.ENFORCEMENT,
        Role.LEADER,
    }
)


class AuditAction(models.TextChoices):
    LOGIN = "login", "登录"
    LOGIN_FAILED = "login_failed", "登录失败"
    LOGOUT = "logout", "退出"
    CREATE = "create", "新增"
    UPDATE = "update", "修改"
    DELETE = "delete", "删除"
    IMPORT = "import", "导入"
    EXPORT = "export", "导出"
    READ_PERSONAL_DATA = "read_personal_data", "查看完整个人信息"
    READ_FILE = "read_file", "查看证据文件"
    TOKEN = "token", "签发接口令牌"
    SIGN_IN_CODE = "sign_in_code", "发送登录验证码"
    SECOND_FACTOR = "second_factor", "动态口令验证通过"
    SECOND_FACTOR_FAILED = "second_factor_failed", "动态口令验证失败"
    SECOND_FACTOR_ENROLLED = "second_factor_enrolled", "绑定动态口令"
    SECOND_FACTOR_RESET = "second_factor_reset", "重置动态口令"
