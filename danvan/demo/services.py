"""Demo data: Hưng Yên province (after the 2025 merger), its agencies and one account per role.

Demo accounts exist only when this runs; production never calls it.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction

from danvan.accounts.models import Membership, User
from danvan.accounts.roles import Role
from danvan.accounts.twofactor import device_ensure
from danvan.places.models import REFORM_DATE, Agency, Unit
from danvan.places.services import peoples_committees_ensure, units_load

PROVINCE_CODE = "33"  # Hưng Yên since 2025-07-01 (merged with Thái Bình)
DEMO_COMMUNE_CODE = "11953"  # Phường Phố Hiến
DEMO_EMAIL_DOMAIN = "demo.danvan.vn"

# (code, name, short name, type); all provincial, under the provincial People's Committee
# except the Party and Front bodies, which stand outside the state hierarchy.
PROVINCIAL_AGENCIES = [
    ("hy-ban-tcd", "Ban Tiếp công dân tỉnh Hưng Yên", "Ban TCD tỉnh", Agency.Type.RECEPTION_OFFICE),
    ("hy-thanh-tra", "Thanh tra tỉnh Hưng Yên", "Thanh tra tỉnh", Agency.Type.INSPECTORATE),
    (
        "hy-so-nnmt",
        "Sở Nông nghiệp và Môi trường tỉnh Hưng Yên",
        "Sở NN&MT",
        Agency.Type.DEPARTMENT,
    ),
    ("hy-so-xd", "Sở Xây dựng tỉnh Hưng Yên", "Sở Xây dựng", Agency.Type.DEPARTMENT),
    ("hy-so-yt", "Sở Y tế tỉnh Hưng Yên", "Sở Y tế", Agency.Type.DEPARTMENT),
    ("hy-so-gddt", "Sở Giáo dục và Đào tạo tỉnh Hưng Yên", "Sở GD&ĐT", Agency.Type.DEPARTMENT),
    ("hy-so-nv", "Sở Nội vụ tỉnh Hưng Yên", "Sở Nội vụ", Agency.Type.DEPARTMENT),
    ("hy-cong-an", "Công an tỉnh Hưng Yên", "Công an tỉnh", Agency.Type.POLICE),
    (
        "hy-ban-dan-van",
        "Ban Dân vận Tỉnh ủy Hưng Yên",
        "Ban Dân vận",
        Agency.Type.MASS_MOBILISATION,
    ),
    ("hy-mttq", "Ủy ban MTTQ Việt Nam tỉnh Hưng Yên", "MTTQ tỉnh", Agency.Type.FRONT),
]
OUTSIDE_STATE = {Agency.Type.MASS_MOBILISATION, Agency.Type.FRONT}


@dataclass(frozen=True)
class DemoAccount:
    role: Role
    full_name: str
    login: str
    agency_code: str | None


@dataclass
class DemoReport:
    units_created: int = 0
    agencies_created: int = 0
    accounts: list[DemoAccount] = field(default_factory=list)


def demo_accounts() -> list[DemoAccount]:
    commune = f"ubnd-c{DEMO_COMMUNE_CODE}"
    return [
        DemoAccount(Role.CITIZEN, "Nguyễn Văn An", "0912345678", None),
        DemoAccount(Role.RECEPTION_OFFICER, "Trần Thị Bình", f"tiepdan@{DEMO_EMAIL_DOMAIN}", commune),
        DemoAccount(Role.HANDLING_OFFICER, "Lê Văn Cường", f"xuly@{DEMO_EMAIL_DOMAIN}", commune),
        DemoAccount(Role.HEAD, "Phạm Thị Dung", f"chutich@{DEMO_EMAIL_DOMAIN}", commune),
        DemoAccount(Role.SUPERVISOR, "Hoàng Văn Em", f"danvan@{DEMO_EMAIL_DOMAIN}", "hy-ban-dan-van"),
        DemoAccount(Role.AUDITOR, "Vũ Thị Giang", f"thanhtra@{DEMO_EMAIL_DOMAIN}", "hy-thanh-tra"),
        DemoAccount(Role.ADMINISTRATOR, "Đỗ Văn Hải", f"quantri@{DEMO_EMAIL_DOMAIN}", None),
    ]  # fmt: skip


def demo_load(*, password: str) -> DemoReport:
    """Load the demo province; safe to rerun (nothing is duplicated, passwords are reset)."""
    report = DemoReport()
    if not Unit.objects.filter(level=Unit.Level.PROVINCE, code=PROVINCE_CODE).exists():
        report.units_created = units_load().created
    province = Unit.objects.get(
        level=Unit.Level.PROVINCE, code=PROVINCE_CODE, valid_until__isnull=True
    )
    with transaction.atomic():
        report.agencies_created = peoples_committees_ensure(province=province)
        report.agencies_created += _provincial_agencies_ensure(province)
        accounts = demo_accounts()
        # Hashing is slow on purpose; when the first account already has this password,
        # the others were set with it too, and a rerun of `make run` skips the hashing.
        reset = not _has_password(accounts[0], password)
        for account in accounts:
            _account_ensure(account, password if reset else None)
            report.accounts.append(account)
    return report


def _provincial_agencies_ensure(province: Unit) -> int:
    committee = Agency.objects.get(type=Agency.Type.PEOPLES_COMMITTEE, home_unit=province)
    created = 0
    for code, name, short_name, type_ in PROVINCIAL_AGENCIES:
        agency, was_created = Agency.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "short_name": short_name,
                "type": type_,
                "parent": None if type_ in OUTSIDE_STATE else committee,
                "home_unit": province,
            },
        )
        if was_created:
            agency.served_units.add(province)
            created += 1
    return created


def _lookup(account: DemoAccount) -> dict[str, str]:
    if "@" in account.login:
        return {"email": account.login}
    return {"phone": "+84" + account.login[1:]}


def _has_password(account: DemoAccount, password: str) -> bool:
    user = User.objects.filter(**_lookup(account)).first()
    return user is not None and user.check_password(password)


def _account_ensure(account: DemoAccount, password: str | None) -> User:
    """Create or update a demo account; `password` None keeps the current one."""
    user = User.objects.filter(**_lookup(account)).first() or User(**_lookup(account))
    user.full_name = account.full_name
    user.is_staff = account.role == Role.ADMINISTRATOR
    user.is_superuser = user.is_staff
    if password is not None or user.pk is None:
        user.set_password(password)
    user.save()
    if account.agency_code:
        Membership.objects.get_or_create(
            user=user,
            agency=Agency.objects.get(code=account.agency_code),
            role=account.role.value,
            ended_on=None,
            defaults={"started_on": REFORM_DATE},
        )
    if account.role != Role.CITIZEN:
        # Officials sign in with a second factor; the demo ones share the published key.
        device_ensure(user, secret=demo_totp_secret())
    return user


def demo_password() -> str:
    return str(settings.DANVAN_DEMO_PASSWORD)


def demo_totp_secret() -> str:
    """The base32 TOTP key of every demo official (README.md publishes it)."""
    return str(settings.DANVAN_DEMO_TOTP_SECRET)
