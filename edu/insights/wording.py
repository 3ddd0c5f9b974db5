"""Plain-language names (both languages) for the scales, effect-size bands and groups the outcome pages show."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

SCALE_NAMES = {  # scales of releases made before the survey file declared its own labels
    "knowledge": _l("Knowledge"),
    "attitudes": _l("Attitudes (not blaming victims, not minimising)"),
    "bystander_confidence": _l("Confidence to help a friend"),
    "bystander_intention": _l("Intention to help a friend"),
}

BAND_NAMES = {"negligible": _l("negligible"), "small": _l("small"), "medium": _l("medium"), "large": _l("large")}

GROUP_NAMES = {"middle": _l("Middle school"), "high": _l("High school"), "university": _l("University"),
               "all": _l("Whole school")}


def scale_names(survey) -> dict[str, str]:
    """Each scale's plain name: the label the survey file declares (in the page's language), else the old name."""
    names = {key: str(value) for key, value in SCALE_NAMES.items()}
    names.update({scale.id: scale.label for scale in (survey.scales if survey else ())})
    return names
