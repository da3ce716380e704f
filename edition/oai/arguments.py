"""Reading an OAI-PMH request's arguments and checking them against what each verb allows.

Everything a client can send is checked here before any verb runs: the verb itself (badVerb), repeated,
unknown, missing or malformed arguments (badArgument), and the exclusivity of resumptionToken. What comes
out is either a Request whose every argument is safe to echo in the response's <request> element, or the
errors to answer with.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import parse_qsl

MAX_FIELDS = 32
MAX_QUERY_LENGTH = 8192


@dataclass(frozen=True)
class OaiError:
    code: str
    message: str


@dataclass(frozen=True)
class Request:
    verb: str
    arguments: dict[str, str]  # checked: each value is valid for its attribute in <request>

    def get(self, name: str) -> str | None:
        return self.arguments.get(name)


@dataclass(frozen=True)
class Rules:
    required: frozenset[str]
    optional: frozenset[str]
    resumable: bool  # accepts resumptionToken as its exclusive argument


_LIST = Rules(frozenset({"metadataPrefix"}), frozenset({"from", "until", "set"}), True)
VERBS: dict[str, Rules] = {
    "Identify": Rules(frozenset(), frozenset(), False),
    "ListMetadataFormats": Rules(frozenset(), frozenset({"identifier"}), False),
    "ListSets": Rules(frozenset(), frozenset(), True),
    "GetRecord": Rules(frozenset({"identifier", "metadataPrefix"}), frozenset(), False),
    "ListIdentifiers": _LIST,
    "ListRecords": _LIST,
}

# Value syntax, as OAI-PMH.xsd types the attributes of <request>.
_PREFIX = re.compile(r"[A-Za-z0-9\-_.!~*'()]+")
_SET_SPEC = re.compile(r"[A-Za-z0-9\-_.!~*'()]+(:[A-Za-z0-9\-_.!~*'()]+)*")
_URI = re.compile(r"(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})+")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_SECOND = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def parse_query(query: str) -> list[tuple[str, str]] | OaiError:
    """The arguments of a query string (or form body) in order, repeats kept."""
    if len(query) > MAX_QUERY_LENGTH:
        return OaiError("badArgument", f"the request is longer than {MAX_QUERY_LENGTH} characters")
    try:
        return parse_qsl(
            query,
            keep_blank_values=True,
            encoding="utf-8",
            errors="replace",
            max_num_fields=MAX_FIELDS,
        )
    except ValueError:
        return OaiError("badArgument", f"the request has more than {MAX_FIELDS} arguments")


def _day(value: str) -> dt.date | None:
    if not _DAY.fullmatch(value):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def _check_value(name: str, value: str) -> str | None:
    """Why ``value`` is not acceptable for argument ``name``, or None if it is."""
    if name == "metadataPrefix" and not _PREFIX.fullmatch(value):
        return f"metadataPrefix {value!r} is not a valid metadata prefix"
    if name == "set" and not _SET_SPEC.fullmatch(value):
        return f"set {value!r} is not a valid setSpec"
    if name == "identifier" and not _URI.fullmatch(value):
        return f"identifier {value!r} is not a URI"
    if name in {"from", "until"}:
        if _SECOND.fullmatch(value):
            return f"{name} {value!r} is finer than this repository's granularity, YYYY-MM-DD"
        if _day(value) is None:
            return f"{name} {value!r} is not a date written YYYY-MM-DD"
    return None


def check(pairs: Sequence[tuple[str, str]]) -> Request | list[OaiError]:
    verbs = [value for name, value in pairs if name == "verb"]
    if not verbs:
        return [OaiError("badVerb", "the verb argument is missing")]
    if len(verbs) > 1:
        return [OaiError("badVerb", "the verb argument is repeated")]
    verb = verbs[0]
    if verb not in VERBS:
        shown = repr(verb) if not _NOT_XML.search(verb) else "given"
        return [OaiError("badVerb", f"the verb {shown} is not an OAI-PMH verb")]
    rules = VERBS[verb]
    allowed = rules.required | rules.optional | ({"resumptionToken"} if rules.resumable else set())
    errors: list[OaiError] = []
    arguments: dict[str, str] = {}
    for name, value in pairs:
        if name == "verb":
            continue
        if _NOT_XML.search(name) or _NOT_XML.search(value):
            errors.append(OaiError("badArgument", "an argument holds characters XML cannot carry"))
        elif name not in allowed:
            errors.append(OaiError("badArgument", f"{verb} does not take the argument {name!r}"))
        elif name in arguments:
            errors.append(OaiError("badArgument", f"the argument {name} is repeated"))
        else:
            problem = _check_value(name, value)
            if problem:
                errors.append(OaiError("badArgument", problem))
            arguments[name] = value
    if errors:
        return errors
    if "resumptionToken" in arguments:
        if len(arguments) > 1:
            others = ", ".join(sorted(set(arguments) - {"resumptionToken"}))
            return [
                OaiError("badArgument", f"resumptionToken is exclusive, but {others} was given")
            ]
        return Request(verb, arguments)
    missing = sorted(rules.required - set(arguments))
    if missing:
        return [OaiError("badArgument", f"{verb} requires the argument {', '.join(missing)}")]
    start, end = arguments.get("from"), arguments.get("until")
    if start and end and start > end:
        return [OaiError("badArgument", f"from ({start}) is later than until ({end})")]
    return Request(verb, arguments)
