"""The research export's aggregate tables: `identity: none` answers only as the per-item answer counts the
school's releases already hold (edu/insights/school_release.py, query ``item_options``: discrete Gaussian noise,
part of the school's zCDP ρ = 1/2 a term). Reading a stored release spends no budget and adds nothing: the
admin sees the same figures as shares on the school page. Never a row per answer, never a finer breakdown than
the release's (age band, phase, item, option), never a count without its noise."""

from __future__ import annotations

import json

from sqlalchemy import select

from edu.csv_export import csv_bytes
from edu.extensions import db
from edu.insights import dp
from edu.insights.school_release import GROUPS
from edu.models import SurveyRelease

COLUMNS = ("term", "age_band", "phase", "survey_id", "item_id", "value", "noisy_count", "noise_sd")


def anonymous_tables(school_id: int, survey) -> list[dict]:
    """One row per released term, age band, phase, `identity: none` Likert item and option (its label value)."""
    anonymous = {i.id for i in survey.items if i.identity == "none"}
    rows: list[dict] = []
    for release in db.session.scalars(select(SurveyRelease).where(
            SurveyRelease.school_id == school_id, SurveyRelease.classroom_id.is_(None))
            .order_by(SurveyRelease.term)):
        body = json.loads(release.figures)
        noisy = (body.get("noisy") or {}).get("item_options")
        if noisy is None:
            continue  # a release from before December 2026 holds no per-option counts
        query = dp.NoisyQuery.from_dict(body["queries"]["item_options"])
        items = body["items"]
        width = sum(item["top"] + 1 for item in items)
        offset = 0
        for item in items:
            if item["id"] in anonymous:
                for band_index, band in enumerate(body.get("groups", GROUPS)):
                    for phase_index, phase in enumerate(dp.PHASES):
                        base = band_index * 2 * width + phase_index * width + offset
                        rows.extend({"term": release.term, "age_band": band, "phase": phase,
                                     "survey_id": survey.id, "item_id": item["id"], "value": str(option + 1),
                                     "noisy_count": noisy[base + option], "noise_sd": round(query.scale, 3)}
                                    for option in range(item["top"] + 1))
            offset += item["top"] + 1
    return rows


def to_csv(rows: list[dict]) -> bytes:
    return csv_bytes(rows, COLUMNS)
