"""API keys, rate limits and the shared letter intake, below both APIs."""

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from redis.exceptions import ConnectionError as RedisConnectionError

from danvan.api import ratelimit
from danvan.api.access import key_from, require
from danvan.api.errors import KINDS, ApiError
from danvan.api.intake import letter_submit, unit_for
from danvan.api.keys import key_authenticate, key_issue, key_revoke
from danvan.api.models import ApiKey, Scope
from danvan.api.public import public_cases, public_location
from danvan.cases.models import Case, Channel
from danvan.places.models import Agency, Unit


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def agency(db):
    return Agency.objects.filter(is_active=True).order_by("pk").first()


@pytest.fixture
def pho_hien(db):
    return Unit.objects.get(level="commune", code="11953", valid_until=None)


def letter(**overrides):
    fields = {
        "service_code": "ha-tang",
        "description": "Đèn đường trước nhà số 12 phố Nguyễn Văn Linh hỏng hai tuần nay.",
        "unit_code": "11953",
    }
    return {**fields, **overrides}


class TestKeys:
    def test_the_full_text_opens_the_key_and_only_a_hash_is_stored(self, agency):
        key, text = key_issue(name="Đường dây nóng", agency=agency, scopes=[Scope.READ])
        assert text.startswith(f"dv_{key.prefix}_")
        assert text.split("_", 2)[2] not in key.secret_hash
        assert key_authenticate(text) == key
        assert key_authenticate(text + "x") is None
        assert key_authenticate("dv_nothere_secret") is None
        assert key_authenticate("garbage") is None

    def test_use_is_recorded_at_most_once_a_minute(self, agency, frozen_time):
        key, text = key_issue(name="App", agency=agency, scopes=[Scope.READ])
        key_authenticate(text)
        first = ApiKey.objects.get(pk=key.pk).last_used_at
        assert first is not None
        frozen_time.shift(30)
        key_authenticate(text)
        assert ApiKey.objects.get(pk=key.pk).last_used_at == first
        frozen_time.shift(61)
        key_authenticate(text)
        assert ApiKey.objects.get(pk=key.pk).last_used_at > first

    def test_a_revoked_key_is_refused_not_treated_as_anonymous(self, agency):
        key, text = key_issue(name="App", agency=agency, scopes=[Scope.SUBMIT])
        key_revoke(key)
        with pytest.raises(ApiError) as error:
            key_from(text)
        assert error.value.code == "api_key_revoked"
        assert error.value.status == 403
        assert key_from("") is None

    def test_scopes_and_agency_bind_what_a_key_may_do(self, agency):
        submit_only, _ = key_issue(name="Hotline", agency=None, scopes=[Scope.SUBMIT])
        assert require(submit_only, Scope.SUBMIT) == submit_only
        for scope in (Scope.READ, Scope.ACT):
            with pytest.raises(ApiError, match="scope_missing"):
                require(submit_only, scope)
        with pytest.raises(ApiError, match="api_key_missing"):
            require(None, Scope.SUBMIT)
        with pytest.raises(ValueError, match="unknown scopes"):
            key_issue(name="x", agency=agency, scopes=["everything"])

    def test_every_error_code_has_a_status_and_a_message(self):
        # 4xx: the caller's request; 503 only when the file storage refuses a write
        assert all(400 <= kind.status < 500 or kind.status == 503 for kind in KINDS.values())
        assert all(str(kind.message) for kind in KINDS.values())
        with pytest.raises(ValueError, match="unknown error code"):
            ApiError("no_such_code")


class TestRateLimits:
    def test_beyond_the_limit_the_caller_is_told_how_long_to_wait(self, frozen_time):
        limit = ratelimit.Limit(2, 60)
        ratelimit.check("t", "1.2.3.4", limit)
        ratelimit.check("t", "1.2.3.4", limit)
        with pytest.raises(ApiError) as error:
            ratelimit.check("t", "1.2.3.4", limit)
        assert error.value.status == 429
        assert 1 <= error.value.retry_after <= 60
        ratelimit.check("t", "5.6.7.8", limit)  # another address has its own count
        frozen_time.shift(61)
        ratelimit.check("t", "1.2.3.4", limit)  # a new window

    def test_a_key_is_counted_by_its_own_rate(self, agency):
        key, _ = key_issue(name="App", agency=agency, scopes=[Scope.READ])
        key.rate_per_minute = 1
        request = RequestFactory().get("/", REMOTE_ADDR="9.9.9.9")
        ratelimit.check_request(request, key)
        with pytest.raises(ApiError, match="rate_limited"):
            ratelimit.check_request(request, key)
        ratelimit.check_request(request, None)  # the address is not spent by the key

    def test_an_unreachable_cache_lets_the_request_through_and_says_so(self, monkeypatch, caplog):
        def down(*args, **kwargs):
            raise RedisConnectionError("Connection refused")

        monkeypatch.setattr(ratelimit.cache, "add", down)
        limit = ratelimit.Limit(1, 60)
        with caplog.at_level("WARNING", logger="danvan.api"):
            ratelimit.check("t", "1.2.3.4", limit)
            ratelimit.check("t", "1.2.3.4", limit)  # over the limit, but nothing counts
        assert "rate limit not counted" in caplog.text

    def test_an_unreachable_redis_lets_the_request_through(self, settings, caplog):
        settings.DANVAN_CACHE_URL = "unix:///nonexistent/danvan/redis.sock"
        ratelimit.redis_client.cache_clear()
        try:
            with caplog.at_level("WARNING", logger="danvan.api"):
                ratelimit.check("t", "1.2.3.4", ratelimit.Limit(1, 60))
                ratelimit.check("t", "1.2.3.4", ratelimit.Limit(1, 60))
        finally:
            ratelimit.redis_client.cache_clear()
        assert caplog.text.count("rate limit not counted") == 2

    @pytest.mark.parametrize(
        ("text", "limit"), [("120/min", (120, 60)), ("10/s", (10, 1)), ("5000/day", (5000, 86400))]
    )
    def test_rates_read_as_written(self, text, limit):
        assert ratelimit.parse(text) == ratelimit.Limit(*limit)


class TestIntake:
    def test_a_letter_is_registered_with_its_deadline_through_the_api_channel(self, pho_hien):
        case, created = letter_submit(
            letter(lat="20.65", long="106.05", name="Trần Thị Bình"), key=None
        )
        assert created
        assert case.channel == Channel.API
        assert case.unit == pho_hien
        assert case.due_on is not None
        assert (case.latitude, case.longitude) == (20.65, 106.05)
        assert case.title.startswith("Đèn đường")
        assert not case.anonymous

    def test_the_same_idempotency_key_and_letter_give_the_same_case(self, db):
        first, created = letter_submit(letter(), key=None, idempotency_key="abc")
        again, created_again = letter_submit(letter(), key=None, idempotency_key="abc")
        assert again.pk == first.pk
        assert (created, created_again) == (True, False)
        assert Case.objects.filter(idempotency_key="abc").count() == 1

    def test_the_same_idempotency_key_with_another_letter_is_refused(self, db):
        letter_submit(letter(), key=None, idempotency_key="abc")
        count = Case.objects.count()
        with pytest.raises(ApiError) as refused:
            letter_submit(letter(description="khác"), key=None, idempotency_key="abc")
        assert (refused.value.code, refused.value.status) == ("idempotency_key_reused", 422)
        assert Case.objects.count() == count

    @pytest.mark.parametrize(
        ("overrides", "field"),
        [
            ({"description": ""}, "description"),
            ({"description": "x" * 10_001}, "description"),
            ({"unit_code": "", "lat": "abc", "long": "106"}, "lat"),
            ({"unit_code": "", "lat": "91", "long": "106"}, "lat"),
            ({"unit_code": "", "lat": "20.6"}, "lat"),
            ({"unit_code": ""}, "lat"),
            ({"unit_code": "", "lat": "10.77", "long": "106.70"}, "lat"),  # Sài Gòn
            ({"unit_code": "99999"}, "unit_code"),
            ({"phone": "12345"}, "phone"),
            ({"email": "khong-phai-email"}, "email"),
            ({"kind": "denunciation"}, "kind"),
            ({"media_url": "javascript:alert(1)"}, "media_url"),
        ],
    )
    def test_a_wrong_field_is_named_in_vietnamese_and_nothing_is_stored(self, db, overrides, field):
        before = Case.objects.count()
        with pytest.raises(ApiError) as error:
            letter_submit(letter(**overrides), key=None)
        assert error.value.code == "invalid_input"
        assert field in error.value.fields
        assert Case.objects.count() == before

    def test_an_unknown_or_private_service_is_refused(self, db):
        with pytest.raises(ApiError, match="unknown_service"):
            letter_submit(letter(service_code="khong-co"), key=None)

    def test_the_commune_is_found_by_its_centre_or_its_name(self, pho_hien):
        assert unit_for({"lat": pho_hien.latitude + 0.001, "long": pho_hien.longitude}) == pho_hien
        assert (
            unit_for({"address_string": f"Số 5 phố Điện Biên, {pho_hien.name}, Hưng Yên"})
            == pho_hien
        )
        with pytest.raises(ApiError):
            unit_for({"address_string": "Số 5 phố Điện Biên"})


class TestPublic:
    def test_denunciations_complaints_and_sealed_letters_are_never_public(self, db):
        public, _ = letter_submit(letter(), key=None)
        complaint, _ = letter_submit(
            letter(kind="complaint", name="Lê Văn C", address="Số 1 phố Bãi Sậy"), key=None
        )
        ids = set(public_cases().values_list("pk", flat=True))
        assert public.pk in ids
        assert complaint.pk not in ids
        assert not public_cases().filter(kind__in=["complaint", "denunciation"]).exists()

    def test_a_location_is_shown_to_about_a_hundred_metres(self, db):
        case, _ = letter_submit(letter(lat="20.656789", long="106.051234"), key=None)
        assert public_location(case) == (20.657, 106.051)


class TestIssueCommand:
    def test_prints_a_key_that_works_once_and_checks_its_arguments(self, agency):
        from io import StringIO

        from django.core.management import CommandError, call_command

        out = StringIO()
        call_command(
            "issue_api_key", "--name", "1022", "--scope", "submit", "--rate", "30", stdout=out
        )
        key = key_authenticate(out.getvalue().strip())
        assert key is not None
        assert key.scopes == ["submit"]
        assert key.rate_per_minute == 30
        with pytest.raises(CommandError, match="need --agency"):
            call_command("issue_api_key", "--name", "x", "--scope", "cases:read")
        with pytest.raises(CommandError, match="no agency"):
            call_command("issue_api_key", "--name", "x", "--scope", "cases:read", "--agency", "zz")
        call_command(
            "issue_api_key",
            "--name",
            "x",
            "--scope",
            "cases:read",
            "--agency",
            agency.code,
            stdout=out,
        )
