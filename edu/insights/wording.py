"""Plain-language wording (both languages) for the outcome sentences and bands the pure library returns."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

SCALE_NAMES = {
    "knowledge": _l("Knowledge"),
    "attitudes": _l("Attitudes (not blaming victims, not minimising)"),
    "bystander_confidence": _l("Confidence to help a friend"),
    "bystander_intention": _l("Intention to help a friend"),
}

BANDS = {"almost_none": _l("almost none"), "almost_all": _l("almost all"), "withheld": _l("hidden")}


def sentence(scale: str, key: str, params: dict) -> str:
    name = str(SCALE_NAMES.get(scale, scale))
    p = {k: v for k, v in params.items()}
    texts = {
        "outcome.suppressed": lambda: _("Fewer than %(min_n)d students answered both surveys, so no figures are "
                                        "shown for %(scale)s.", min_n=p.get("min_n", 5), scale=name),
        "outcome.means": lambda: _("%(scale)s: the average went from %(pre)s before the lessons to %(post)s "
                                   "after (%(n)d students answered both surveys).", scale=name, pre=p["pre"],
                                   post=p["post"], n=p["n"]),
        "outcome.change.up": lambda: _("That is a rise of %(change)s.", change=p["change"]),
        "outcome.change.down": lambda: _("That is a fall of %(change)s.", change=p["change"]),
        "outcome.change.none": lambda: _("There was no change on average."),
        "outcome.effect": lambda: _("Effect size (Cohen's d_z): %(d)s, 95%% confidence interval %(low)s to "
                                    "%(high)s (%(band)s).", d=p.get("d"), low=p.get("low"),
                                    high=p.get("high"), band=BAND_NAMES.get(p.get("band"), p.get("band"))),
        "outcome.effect.uncertain": lambda: _("The confidence interval includes zero, so the change may be chance."),
        "outcome.effect.undefined": lambda: _("The effect size cannot be computed (every student changed by the "
                                              "same amount)."),
        "outcome.gain": lambda: _("Normalized gain g = %(gain)s: the class closed %(percent)d%% of the room it had "
                                  "to improve.", gain=p["gain"], percent=p["percent_of_room"]),
        "outcome.gain.undefined": lambda: _("The normalized gain is not defined (the class started at 100%)."),
    }
    return str(texts[key]()) if key in texts else key


BAND_NAMES = {"negligible": _l("negligible"), "small": _l("small"), "medium": _l("medium"), "large": _l("large")}

GROUP_NAMES = {"middle": _l("Middle school"), "high": _l("High school"), "university": _l("University"),
               "all": _l("Whole school")}
