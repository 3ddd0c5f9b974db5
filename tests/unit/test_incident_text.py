"""The evidence log's rule (edu/safeguarding/incident_text.py), for all inputs: images, resident registration
numbers, phone numbers and names written the way school records write them are refused wherever they appear;
roles, online handles, room names, links, times and the words of a school-violence record are kept."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from edu.safeguarding.incident_text import IMAGE, NAME, PHONE, RESIDENT_NUMBER, refusal

SAFE_WORDS = [
    "person targeted", "reporter 1", "reporter 2", "witness 3", "student who did it", "피해 학생", "가해 학생",
    "목격 학생 2명", "신고자 1", "담임 교사", "학교폭력 전담조사관", "상담 교사", "보건 교사", "기간제 교사",
    "@blue_fox", "여우123", "night_owl_07", "https://t.me/example_room", "https://open.kakao.com/o/abc",
    "2026-12-07", "14:30", "12/1 09:05", "112 신고", "1366에 연락", "117 상담", "1377 삭제 요청", "방 이름:",
    "2학년 단톡", "Year 9 chat", "left the room", "reported the room", "told the lead", "분리 조치", "삭제 요청",
    "Police report made", "the class teacher", "ACOSAV", "Grace period", "Mark done", "교육지원청에 접수",
]
SAFE_TEXT = st.lists(st.sampled_from(SAFE_WORDS), max_size=8).map(" ".join)
SEPARATOR = st.sampled_from(["-", " ", ".", ""])
SURNAMES = st.sampled_from(list("김이박최정강조윤장임한오서신권황안송전홍") + ["남궁", "제갈", "선우"])
GIVEN = st.lists(st.sampled_from(list("민준서연지우현수아윤하은도영예린")), min_size=1, max_size=2).map("".join)
TITLES = st.sampled_from(["학생", "군", "양", "씨", "님", "선생님", "학부모", " 학생"])


@st.composite
def mobile(draw):
    sep = draw(SEPARATOR)
    prefix = draw(st.sampled_from(["010", "011", "016", "019", "+82 10", "+8210"]))
    middle = draw(st.integers(100, 9999))
    return f"{prefix}{sep}{middle:0{draw(st.sampled_from([3, 4]))}d}{sep}{draw(st.integers(0, 9999)):04d}"


@st.composite
def resident(draw):
    birth = f"{draw(st.integers(0, 99)):02d}{draw(st.integers(1, 12)):02d}{draw(st.integers(1, 28)):02d}"
    return f"{birth}{draw(st.sampled_from(['-', '', ' - ']))}{draw(st.integers(1, 8))}{draw(st.integers(0, 999999)):06d}"


def around(inner):
    return st.tuples(SAFE_TEXT, inner, SAFE_TEXT).map(lambda parts: f"{parts[0]} {parts[1]} {parts[2]}")


@given(SAFE_TEXT)
def test_roles_handles_links_and_times_are_kept(text):
    assert refusal(text) is None


@given(around(mobile()))
def test_a_phone_number_anywhere_is_refused(text):
    assert refusal(text) == PHONE


@given(around(resident()))
def test_a_resident_registration_number_anywhere_is_refused(text):
    assert refusal(text) == RESIDENT_NUMBER


@given(around(st.tuples(SURNAMES, GIVEN, TITLES).map("".join)))
def test_a_korean_name_with_a_title_is_refused(text):
    assert refusal(text) == NAME


@given(around(st.tuples(st.sampled_from(["3학년 2반", "1번", "2반"]), SURNAMES, GIVEN.filter(lambda g: len(g) == 2))
              .map(lambda p: f"{p[0]} {p[1]}{p[2]}")))
def test_a_korean_full_name_after_a_class_is_refused(text):
    assert refusal(text) == NAME


@given(around(st.sampled_from(["data:image/png;base64,iVBORw0KGgo", "DATA:text/plain,x", "blob:https://x/1",
                               "<img src=x>", "![a](https://x/y.png)", "A" * 130])))
def test_images_and_attachments_are_refused(text):
    assert refusal(text) == IMAGE


def test_english_names_with_a_title_or_a_common_given_name_are_refused():
    for text in ("Mr Smith said so", "told Ms. Park", "Emma Watson posted it", "his name is Tom", "이름은 김철수"):
        assert refusal(text) == NAME, text

