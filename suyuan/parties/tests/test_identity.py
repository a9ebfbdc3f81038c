import pytest
from stdnum.cn import ric

from suyuan.common.errors import InvalidInput
from suyuan.parties.choices import PartyKind
from suyuan.parties.models import Party, PartyMatchFlag
from suyuan.parties.services import PartyInput, remembered_parties, resolve_party
from suyuan.parties.validation import clean_credit_code, clean_id_number, clean_phone
from suyuan.testing.factories import make_credit_code, make_id_number


def test_valid_id_number_is_normalised():
    number = make_id_number()
    assert clean_id_number(" " + number.lower() + " ") == number


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("64020219850312001", "18 位"),
        # month 13, with a correct check digit so that the date check is what fails
        ("64020219851312001" + ric.calc_check_digit("640202198513120010"), "出生日期"),
    ],
)
def test_bad_id_numbers_get_a_chinese_reason(value, reason):
    with pytest.raises(ValueError, match=reason):
        clean_id_number(value)


def test_wrong_check_digit_is_named():
    number = make_id_number()
    wrong = number[:-1] + ("1" if number[-1] != "1" else "2")
    with pytest.raises(ValueError, match="校验位"):
        clean_id_number(wrong)


def test_credit_code_check_character():
    code = make_credit_code()
    assert clean_credit_code(code) == code
    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    with pytest.raises(ValueError, match="校验位"):
        clean_credit_code(wrong)


@pytest.mark.parametrize("value", ["13912345678", "139 1234 5678", "0952-2012345"])
def test_phones_accepted(value):
    assert clean_phone(value).isdigit()


@pytest.mark.parametrize("value", ["12345", "1391234567", "abc"])
def test_phones_refused(value):
    with pytest.raises(ValueError):
        clean_phone(value)


@pytest.mark.django_db
def test_same_id_number_resolves_to_one_identity():
    number = make_id_number()
    first = resolve_party(data=PartyInput(kind=PartyKind.NATURAL, name="张三", id_number=number).cleaned())
    second = resolve_party(
        data=PartyInput(kind=PartyKind.NATURAL, name="张三", id_number=number, phone="13912345678").cleaned()
    )
    assert first.created and not second.created
    assert first.party.pk == second.party.pk
    assert Party.objects.count() == 1
    # Blanks are filled, nothing overwritten.
    assert Party.objects.get().phone == "13912345678"


@pytest.mark.django_db
def test_same_id_number_with_another_name_is_refused_with_masked_hint():
    number = make_id_number()
    resolve_party(data=PartyInput(kind=PartyKind.NATURAL, name="张三丰", id_number=number).cleaned())
    with pytest.raises(InvalidInput) as info:
        resolve_party(data=PartyInput(kind=PartyKind.NATURAL, name="李四", id_number=number).cleaned())
    assert "张**" in info.value.message
    assert "张三丰" not in info.value.message


@pytest.mark.django_db
def test_name_and_phone_near_match_is_flagged_never_merged():
    a = resolve_party(data=PartyInput(kind=PartyKind.NATURAL, name="王五", phone="13912345678").cleaned())
    b = resolve_party(
        data=PartyInput(kind=PartyKind.NATURAL, name="王五", phone="13912345678", id_number=make_id_number()).cleaned()
    )
    assert a.party.pk != b.party.pk
    assert b.flagged == [a.party]
    assert PartyMatchFlag.objects.filter(party=b.party, candidate=a.party).exists()


def test_organisation_cannot_carry_an_id_number():
    with pytest.raises(InvalidInput) as info:
        PartyInput(kind=PartyKind.LEGAL, name="某公司", id_number=make_id_number()).cleaned()
    assert "id_number" in info.value.errors


@pytest.mark.django_db
def test_within_a_batch_a_party_on_file_typed_the_same_way_is_looked_up_once(django_assert_num_queries):
    code = make_credit_code()
    bank = PartyInput(kind=PartyKind.LEGAL, name="某银行", credit_code=code, phone="13912345678").cleaned()
    created = resolve_party(data=bank)
    with remembered_parties():
        with django_assert_num_queries(2):  # the party, and its account for the notices
            first = resolve_party(data=bank)
        with django_assert_num_queries(0):
            again = resolve_party(data=bank)
        assert not again.created and again.party.pk == first.party.pk == created.party.pk
        # Another spelling is still checked against the record (and refused), never taken from memory.
        with pytest.raises(InvalidInput):
            resolve_party(data=PartyInput(kind=PartyKind.LEGAL, name="另一家", credit_code=code).cleaned())
    # Outside a batch nothing is remembered.
    with django_assert_num_queries(1):
        resolve_party(data=bank)


@pytest.mark.django_db
def test_within_a_batch_new_parties_and_filled_blanks_are_not_remembered(django_assert_num_queries):
    number = make_id_number()
    plain = PartyInput(kind=PartyKind.NATURAL, name="张三", id_number=number).cleaned()
    with_phone = PartyInput(kind=PartyKind.NATURAL, name="张三", id_number=number, phone="13912345678").cleaned()
    with remembered_parties():
        assert resolve_party(data=plain).created  # created: may yet be rolled back with its row
        assert not resolve_party(data=with_phone).created  # fills the blank phone
        with django_assert_num_queries(2):
            resolve_party(data=with_phone)  # looked up (the first look-up changed the record), then kept
        with django_assert_num_queries(0):
            resolve_party(data=with_phone)  # now on file and unchanged
    assert Party.objects.get(id_number=number).phone == "13912345678"
