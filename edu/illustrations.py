"""The product's few self-made illustrations (static/img/*.svg, hand-written SVG, checked in
tests/unit/test_illustrations.py: at most 12, each under 3 KB gzipped) and which module shows which.

They are decorative: templates show them with an empty alt (macros/picture.html), so screen readers skip them.
People in them are simple shapes without faces, of different skin tones, hair and bodies, never in distress.
"""

from __future__ import annotations

from flask import Flask

# module id (content/modules.yaml) -> picture name; a module not listed here shows no picture.
MODULE_PICTURES = {
    "consent": "consent",
    "deepfakes": "deepfakes",
    "law": "law",
    "group-chat": "group-chat",
    "getting-help": "getting-help",
    "respect": "respect",
}
# The other pictures: "help" (help boxes), "empty" (nothing here yet), "module-end" (the module-end page).
PICTURES = frozenset(MODULE_PICTURES.values()) | {"help", "empty", "module-end"}


def module_picture(module_id: str | None) -> str | None:
    return MODULE_PICTURES.get(module_id or "")


def init_illustrations(app: Flask) -> None:
    app.add_template_global(module_picture)
