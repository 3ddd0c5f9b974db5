"""Database models (SQLAlchemy 2 typed style).

Privacy rules that the schema itself enforces:
- a Student has no email, name, birth date or photo column: only a generated pseudonym and a PIN hash;
- survey answers to `identity: none` items live in AnonymousSurveyAnswer, which has no student column.
All times are naive UTC.

The models live in one module per feature; every name is importable from ``edu.models``.
"""

from edu.models.accounts import Account, AuditEvent, RecoveryCode, School, StaffInvitation  # noqa: F401
from edu.models.base import AGE_BANDS, QUIZ_POLICIES, QUIZ_REVIEWS, ROLES, STAFF_ROLES, random_id, utcnow  # noqa: F401
from edu.models.classes import (  # noqa: F401
    Assignment,
    AssignmentExtension,
    AssignmentStudent,
    Classroom,
    ClassTeacher,
    ModulePause,
    PinSheet,
    Student,
    taught_by,
)  # noqa: F401
from edu.models.family import ClassNotice, SchoolFamilySettings  # noqa: F401
from edu.models.incidents import Incident, IncidentLogEntry, IncidentPause, IncidentTick  # noqa: F401
from edu.models.learning import (  # noqa: F401
    BlockResponse,
    LessonProgress,
    ModuleCompletion,
    ModuleCompletionSet,
    QuizAnswer,
    QuizAttempt,
    Reflection,
)
from edu.models.live import LiveAnswerer, LiveLesson, LiveQuestion, LiveTally  # noqa: F401
from edu.models.lti import LtiCourse, LtiLaunchValue, LtiPlatform, LtiStudent, LtiToolKey  # noqa: F401,E402
from edu.models.roster import RosterLink  # noqa: F401
from edu.models.safeguarding import (  # noqa: F401
    AnonymousQuestion,
    CaseEvent,
    HelpRequest,
    LivePoll,
    PollVote,
    PollVoter,
    QuestionMessage,
    SafeguardingCase,
    StepoutRelease,
)
from edu.models.sso import OidcFlow, OidcLink, OidcProvider  # noqa: F401
from edu.models.surveys import (  # noqa: F401
    AnonymousSurveyAnswer,
    PendingAnonymous,
    SurveyAnswer,
    SurveyRelease,
    SurveySubmission,
)
