"""What a reader sees of a lesson's or document's segments: age band, country, saved answers, form targets.

One object drives every rendering of content (student player, author preview, guides, pages), so the
preview is exactly what a student sees.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

REFLECTION_MAX = 4000


@dataclass
class SegmentView:
    catalog: object
    locale: str
    country: str = "KR"
    age_band: str | None = None  # None: show every audience block (teachers' documents)
    responses: dict[str, str] = field(default_factory=dict)  # block id -> chosen option / "out"
    reflections: dict[str, str] = field(default_factory=dict)
    form_method: str = "get"  # "post" for a signed-in student; "get" for previews (nothing is stored)
    action_for: Callable[[object], str] | None = None
    carry: dict[str, str] = field(default_factory=dict)  # extra fields forms send back (preview state)
    shows_polls: bool = False
    answers_polls: bool = False  # a live lesson: polls are answered here (edu/live/)
    reflection_max: int = REFLECTION_MAX
    reflections_off: bool = False  # a session begun by an LMS launch: no private text boxes (docs/privacy.md)

    def response(self, block_id: str) -> str | None:
        return self.responses.get(block_id)

    def reflection(self, block_id: str) -> str | None:
        return self.reflections.get(block_id)

    def stepped_out(self, block_id: str) -> bool:
        return self.responses.get(block_id) == "out"

    def hidden_by_stepout(self, step) -> bool:
        """A step whose step-out the reader chose shows only the alternative activity (and help)."""
        return any(seg.kind == "stepout" and self.stepped_out(seg.id) for seg in step.segments)

    def shows_audience(self, segment) -> bool:
        return self.age_band is None or self.age_band in segment.bands

    def help_resources(self, segment):
        return self.catalog.help_for(self.country, self.locale, topics=segment.topics or None,
                                     keys=segment.keys or None)

    def legal_facts(self, segment):
        return self.catalog.legal_facts("KR", segment.keys, self.locale)

    def block_action(self, segment) -> str:
        return self.action_for(segment) if self.action_for else ""

    def carry_params(self, segment) -> dict[str, str]:
        if self.form_method == "post":
            return {}
        params = {f"r.{key}": value for key, value in self.responses.items()}
        params.update(self.carry)
        params["block"] = getattr(segment, "id", "")
        return params
