"""One page of the public self-help path, built from the step rules (edu/content/self_help.py) and the help and
legal files: the services' names, numbers and wording are the ones the lessons' help boxes show."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, url_for
from flask_babel import get_locale

from edu.content import self_help as rules
from edu.content.catalog import Catalog
from edu.content.model import HelpResource, LegalFact
from edu.i18n import language

ENDPOINT = "public.self_help_step"


def step_url(locale: str, step: tuple[str, ...]) -> str:
    return url_for(ENDPOINT, token=rules.token(locale, step))


def start_url() -> str:
    """The first step in the language of the words around the link (the home page, Get help and every help box
    link to it): a lesson's help box shown in the lesson's language leads to the path in that language."""
    shown = str(get_locale() or "")
    return step_url(shown if shown in current_app.config["EDU_LANGUAGES"] else language(), ())


def find(address: str) -> tuple[str, tuple[str, ...]] | None:
    return rules.find(address, tuple(current_app.config["EDU_LANGUAGES"]))


@dataclass(frozen=True)
class Choice:
    value: str
    url: str


@dataclass(frozen=True)
class SelfHelpPage:
    locale: str
    step: tuple[str, ...]
    kind: str
    choices: tuple[Choice, ...]
    back_url: str | None
    start_url: str
    language_links: dict[str, str]
    services: tuple[HelpResource, ...] = ()
    crisis: HelpResource | None = None
    laws: tuple[LegalFact, ...] = ()
    hash_tool: HelpResource | None = None  # the ending's on-device tool, named in the evidence checklist
    removal: HelpResource | None = None  # a service that collects evidence and asks for deletion (ACOSAV)

    @property
    def situation(self) -> str | None:
        return self.step[0] if self.step else None

    @property
    def question_number(self) -> int:
        return len(self.step) + 1


def _resource(catalog: Catalog, service: rules.Service, locale: str) -> HelpResource | None:
    found = catalog.help_for(service.region, locale, keys=[service.key])
    return found[0] if found else None


def build_page(catalog: Catalog, locale: str, step: tuple[str, ...]) -> SelfHelpPage:
    page = {
        "locale": locale,
        "step": step,
        "kind": rules.kind(step),
        "choices": tuple(Choice(value, step_url(locale, step + (value,))) for value in rules.choices(step)),
        "back_url": step_url(locale, step[:-1]) if step else None,
        "start_url": step_url(locale, ()),
        "language_links": {code: step_url(code, step) for code in current_app.config["EDU_LANGUAGES"]},
    }
    if rules.kind(step) == "ending":
        ending = rules.ending(step)
        resolved = {service: _resource(catalog, service, locale) for service in ending.services}
        page.update(
            services=tuple(r for r in resolved.values() if r is not None),
            crisis=_resource(catalog, ending.crisis, locale),
            laws=tuple(catalog.legal_facts(ending.legal_region, ending.legal_keys, locale)),
            hash_tool=resolved.get(rules.HASH_TOOL[step[1]]),
            removal=resolved.get(rules.Service("KR", "acosav")),
        )
    return SelfHelpPage(**page)
