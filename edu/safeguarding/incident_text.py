"""What an incident's title and evidence log may hold: no images and, as far as a simple check can tell, no
real names, phone numbers or resident registration numbers. Pure functions.

The log names roles ("person targeted", "reporter 1") and online traces (room names, user names, links, times).
The check is best effort: it refuses the obvious (a ``data:`` image, a long base64 run, a Korean phone or resident
number, a Korean surname with a given name and a title such as 학생 or 씨, "Mr Kim", a common English given name
with a surname); staff are told to keep real names in the school's own system, which the page says too."""

from __future__ import annotations

import re

# Reasons, in the order they are checked; the view turns each into a sentence in the page's language.
IMAGE, RESIDENT_NUMBER, PHONE, NAME = "image", "resident_number", "phone", "name"

_IMAGE = re.compile(r"(?i)\b(?:data|blob|file|cid):|<\s*img\b|!\[[^\]]*\]\(|[A-Za-z0-9+/]{120,}={0,2}")
# 주민등록번호: six digits (birth date), then a digit 1-8 for the century and sex, then six more.
_RESIDENT = re.compile(r"(?<!\d)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\s*[-–]?\s*[1-8]\d{6}(?!\d)")
# Phone numbers: a leading 0 or +, then at least nine digits in all, with spaces, dots or dashes between groups.
_PHONE = re.compile(r"(?<![\d\w])(?:\+\d{1,3}[\s.-]?\(?0?\d{1,3}\)?|0\d{1,2})(?:[\s.-]?\d{3,4}){2}(?!\d)")

# Korean surnames (the most common ones cover almost everyone): one syllable, or the two-syllable ones.
_SURNAMES = ("김이박최정강조윤장임한오서신권황안송전홍유고문양손배백허남심노하곽성차주우구민류나진지엄채원천방공"
             "현함변염여추도소석선설마길연위표명기반왕금옥육인맹제모탁국어은편용예봉경사부가복태목형피두감음빈동온호범좌")
_TWO_SYLLABLE = ("남궁", "황보", "제갈", "선우", "독고", "사공", "서문")
_HANGUL = "[가-힣]"
# A title or a word that follows a person's name in a school record.
_KO_TITLES = ("학생", "군", "양", "씨", "님", "선생", "교사", "학부모", "어머니", "아버지", "보호자")
_SURNAME = "(?:" + "|".join(_TWO_SYLLABLE) + f"|[{_SURNAMES}])"
_KO_NAME = re.compile(
    f"(?<!{_HANGUL})(?P<a>{_SURNAME}{_HANGUL}{{1,2}})\\s?(?:{'|'.join(_KO_TITLES)})"
    f"|(?:학년|반|번)\\s+(?P<b>{_SURNAME}{_HANGUL}{{2}})(?!{_HANGUL})"
)
# Words of a school-violence record that look like a surname and a given name before 학생 and the like.
_KO_NOT_NAMES = frozenset(["피해", "가해", "목격", "신고", "관련", "해당", "전체", "상대", "다른", "여러", "모든", "일반", "담임", "전담", "보건", "상담", "교감", "교장", "학부", "부모", "남학", "여학", "재학", "전학", "졸업", "고등", "중학", "초등", "대학", "신입", "우리", "같은", "이전", "주변", "반장", "부장", "교무", "명예", "조사", "학교", "사건", "성인", "미성", "외부", "내부", "지원", "보호", "관리", "안전", "생활", "주무", "장애", "유학", "편입", "기간", "정규", "방과", "기간제", "가해자", "피해자", "목격자", "신고자"])
_EN_TITLE = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.?\s+[A-Z][a-z]+")
# Common given names in English-speaking schools: with a capitalised word after them they are a full name.
_GIVEN = ["james", "john", "robert", "michael", "william", "david", "richard", "joseph", "thomas", "charles", "daniel", "matthew", "anthony", "mark", "steven", "paul", "andrew", "joshua", "ryan", "jacob", "ethan", "noah", "liam", "oliver", "lucas", "mason", "logan", "jack", "harry", "leo", "mary", "patricia", "jennifer", "linda", "elizabeth", "barbara", "susan", "jessica", "sarah", "karen", "emily", "emma", "olivia", "ava", "sophia", "isabella", "mia", "amelia", "charlotte", "grace", "chloe", "lily", "hannah", "lucy", "ella", "ruby", "jane", "anna", "laura"]
_EN_NAME = re.compile(r"\b(" + "|".join(g.capitalize() for g in _GIVEN) + r")\s+[A-Z][a-z]{1,}\b")
_NAMED = re.compile(r"(?i)\b(?:named|called|name is)\s+[A-Z][a-z]+|(?:이름은|이름이)\s*" + _HANGUL + "{2,4}")


def refusal(text: str) -> str | None:
    """Why ``text`` cannot be kept (one of the reasons above), or None when nothing obvious is wrong."""
    if not text:
        return None
    if _IMAGE.search(text):
        return IMAGE
    if _RESIDENT.search(text):
        return RESIDENT_NUMBER
    if _PHONE.search(text):
        return PHONE
    if _korean_name(text) or _EN_TITLE.search(text) or _EN_NAME.search(text) or _NAMED.search(text):
        return NAME
    return None


def _korean_name(text: str) -> bool:
    return any((m.group("a") or m.group("b")) not in _KO_NOT_NAMES for m in _KO_NAME.finditer(text))

