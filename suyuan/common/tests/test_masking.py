import logging

from suyuan.common.masking import mask_address, mask_id_number, mask_phone, scrub


def test_id_number_and_phone_masks_follow_the_house_format():
    assert mask_id_number("640202198503120013") == "640202********0013"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_address("宁夏石嘴山市大武口区长胜街道某小区1号楼") .endswith("****")
    assert "1号楼" not in mask_address("宁夏石嘴山市大武口区长胜街道某小区1号楼")


def test_log_records_are_scrubbed(caplog):
    from suyuan.common.logging import MaskPersonalDataFilter

    logger = logging.getLogger("suyuan.test")
    handler_filter = MaskPersonalDataFilter()
    record = logger.makeRecord("suyuan.test", logging.INFO, __file__, 1,
                               "party %s phone %s", ("640202198503120013", "13812345678"), None)
    handler_filter.filter(record)
    assert record.getMessage() == "party 640202********0013 phone 138****5678"
    assert scrub("no personal data here 2026") == "no personal data here 2026"


def test_credit_codes_are_masked_like_id_numbers():
    from suyuan.common.masking import mask_credit_code

    assert mask_credit_code("91640202MA76543210") == "916402********3210"
    assert scrub("申请人 91640202MA76543210 诉") == "申请人 916402********3210 诉"
    assert scrub("key 91640202MA76543210X9 stays") == "key 91640202MA76543210X9 stays"  # not a code: 20 chars
