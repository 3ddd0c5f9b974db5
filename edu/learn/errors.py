"""What a student's request can run into: each is shown as its own page or message by edu/learn/views.py."""


class NotFound(Exception):
    """Not assigned to this student's class, not open yet, or does not exist: shown as 404."""


class InvalidInput(Exception):
    """A tampered or impossible value: refused with a clear message, never stored."""


class AlreadySubmitted(Exception):
    pass


class Paused(Exception):
    """The module is paused for this class (incident mode): students see a neutral message and help."""


class SurveyFirst(Exception):
    """The class has an open pre-survey the student has neither answered nor skipped: lessons wait for it."""
