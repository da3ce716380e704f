"""The six OAI-PMH 2.0 verbs, as a pure function from a request to an XML response.

``respond(query, context)`` never raises for anything a client sends: every problem becomes an OAI-PMH
error element, as the protocol prescribes (HTTP status 200). Lists are cut into pages of
``context.page_size`` items with signed resumption tokens (see edition.oai.tokens).
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from lxml import etree

from edition.oai import tokens
from edition.oai.arguments import OaiError, Request, check, parse_query
from edition.oai.records import OaiSet, Record, Repository

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
OAI_SCHEMA = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
GRANULARITY = "YYYY-MM-DD"


@dataclass(frozen=True)
class Context:
    repository: Repository
    secret: bytes
    page_size: int
    base_url: str  # the endpoint's URL, as the client reached it
    now: dt.datetime  # the response date (UTC)


def _o(tag: str) -> str:
    return f"{{{OAI_NS}}}{tag}"


def _add(parent: etree._Element, tag: str, text: str | None = None) -> etree._Element:
    element = etree.SubElement(parent, _o(tag))
    if text is not None:
        element.text = text
    return element


def _envelope(context: Context, request: Request | None) -> etree._Element:
    root = etree.Element(_o("OAI-PMH"), nsmap={None: OAI_NS, "xsi": XSI_NS})  # type: ignore[dict-item]
    root.set(f"{{{XSI_NS}}}schemaLocation", f"{OAI_NS} {OAI_SCHEMA}")
    now = context.now.astimezone(dt.UTC).replace(microsecond=0, tzinfo=None)
    _add(root, "responseDate", now.isoformat() + "Z")
    element = _add(root, "request", context.base_url)
    if request is not None:  # after badVerb or badArgument, the request carries no attributes
        element.set("verb", request.verb)
        for name, value in sorted(request.arguments.items()):
            element.set(name, value)
    return root


def _errors(
    context: Context, request: Request | None, errors: Sequence[OaiError]
) -> etree._Element:
    root = _envelope(context, request)
    for error in errors:
        _add(root, "error", error.message).set("code", error.code)
    return root


def _serialise(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def respond(query: str, context: Context) -> bytes:
    """The response to a query string (GET) or form body (POST), already percent-decoded or not."""
    pairs = parse_query(query)
    if isinstance(pairs, OaiError):
        return _serialise(_errors(context, None, [pairs]))
    checked = check(pairs)
    if isinstance(checked, list):
        return _serialise(_errors(context, None, checked))
    return _serialise(_answer(checked, context))


def _answer(request: Request, context: Context) -> etree._Element:
    handlers = {
        "Identify": _identify,
        "ListMetadataFormats": _list_metadata_formats,
        "GetRecord": _get_record,
        "ListSets": _list_sets,
        "ListIdentifiers": _list_records,
        "ListRecords": _list_records,
    }
    result = handlers[request.verb](request, context)
    if isinstance(result, list):
        return _errors(context, request, result)
    root = _envelope(context, request)
    root.append(result)
    return root


Answer = etree._Element | list[OaiError]


def _identify(request: Request, context: Context) -> Answer:
    repository = context.repository
    body = etree.Element(_o("Identify"))
    _add(body, "repositoryName", repository.name)
    _add(body, "baseURL", context.base_url)
    _add(body, "protocolVersion", "2.0")
    _add(body, "adminEmail", repository.admin_email)
    _add(body, "earliestDatestamp", repository.earliest_datestamp.isoformat())
    _add(body, "deletedRecord", "no")
    _add(body, "granularity", GRANULARITY)
    return body


def _list_metadata_formats(request: Request, context: Context) -> Answer:
    repository = context.repository
    formats = list(repository.formats)
    identifier = request.get("identifier")
    if identifier is not None:
        record = repository.record(identifier)
        if record is None:
            return [OaiError("idDoesNotExist", f"there is no record {identifier}")]
        formats = [f for f in formats if f.prefix in record.metadata]
    if not formats:
        return [OaiError("noMetadataFormats", "no metadata formats are available for this item")]
    body = etree.Element(_o("ListMetadataFormats"))
    for fmt in formats:
        element = _add(body, "metadataFormat")
        _add(element, "metadataPrefix", fmt.prefix)
        _add(element, "schema", fmt.schema)
        _add(element, "metadataNamespace", fmt.namespace)
    return body


def _header(record: Record) -> etree._Element:
    header = etree.Element(_o("header"))
    _add(header, "identifier", record.identifier)
    _add(header, "datestamp", record.datestamp.isoformat())
    for spec in record.sets:
        _add(header, "setSpec", spec)
    return header


def _record(record: Record, prefix: str) -> etree._Element:
    element = etree.Element(_o("record"))
    element.append(_header(record))
    _add(element, "metadata").append(copy.deepcopy(record.metadata[prefix]))
    return element


def _get_record(request: Request, context: Context) -> Answer:
    identifier, prefix = request.arguments["identifier"], request.arguments["metadataPrefix"]
    record = context.repository.record(identifier)
    errors = []
    if record is None:
        errors.append(OaiError("idDoesNotExist", f"there is no record {identifier}"))
    if context.repository.format(prefix) is None or (record and prefix not in record.metadata):
        errors.append(OaiError("cannotDisseminateFormat", f"records are not offered as {prefix}"))
    if errors or record is None:
        return errors
    body = etree.Element(_o("GetRecord"))
    body.append(_record(record, prefix))
    return body


def _position(request: Request, context: Context) -> tokens.Position | list[OaiError]:
    """Where a list request starts: from its resumption token, or at the top of a new query."""
    token = request.get("resumptionToken")
    if token is None:
        return tokens.Position(
            verb=request.verb,
            metadata_prefix=request.get("metadataPrefix"),
            set_spec=request.get("set"),
            from_=request.get("from"),
            until=request.get("until"),
            offset=0,
            fingerprint=context.repository.fingerprint,
        )
    position = tokens.decode(token, context.secret)
    if position is None or position.verb != request.verb:
        return [
            OaiError("badResumptionToken", "the resumption token is not one this server issued")
        ]
    if position.fingerprint != context.repository.fingerprint:
        return [
            OaiError(
                "badResumptionToken",
                "the resumption token was issued for an earlier state of the repository; "
                "start the list again",
            )
        ]
    return position


@dataclass(frozen=True)
class Page:
    start: int
    end: int
    token: etree._Element | None  # the resumptionToken element that ends the response, if any


def _page(total: int, position: tokens.Position, context: Context) -> Page | list[OaiError]:
    """The slice of a list of ``total`` items to show, and the resumptionToken that goes with it."""
    start = position.offset
    if start >= total:  # only a token can point here, and a genuine one never does for this set
        return [OaiError("badResumptionToken", "the resumption token points past the list's end")]
    end = min(start + context.page_size, total)
    if start == 0 and end == total:
        return Page(start, end, None)
    element = etree.Element(_o("resumptionToken"))
    element.set("completeListSize", str(total))
    element.set("cursor", str(start))
    if end < total:  # the last page of a list carries an empty token
        following = tokens.Position(
            position.verb,
            position.metadata_prefix,
            position.set_spec,
            position.from_,
            position.until,
            end,
            position.fingerprint,
        )
        element.text = tokens.encode(following, context.secret)
    return Page(start, end, element)


def _list_sets(request: Request, context: Context) -> Answer:
    sets: Sequence[OaiSet] = context.repository.sets
    if not sets:
        return [OaiError("noSetHierarchy", "this repository does not support sets")]
    position = _position(request, context)
    if isinstance(position, list):
        return position
    page = _page(len(sets), position, context)
    if isinstance(page, list):
        return page
    body = etree.Element(_o("ListSets"))
    for oai_set in sets[page.start : page.end]:
        element = _add(body, "set")
        _add(element, "setSpec", oai_set.spec)
        _add(element, "setName", oai_set.name)
    if page.token is not None:
        body.append(page.token)
    return body


def _cannot_list(position: tokens.Position, repository: Repository) -> list[OaiError]:
    prefix = position.metadata_prefix or ""
    if repository.format(prefix) is None:
        return [OaiError("cannotDisseminateFormat", f"records are not offered as {prefix}")]
    if position.set_spec is not None and not repository.sets:
        return [OaiError("noSetHierarchy", "this repository does not support sets")]
    return []


def _matching(position: tokens.Position, repository: Repository) -> list[Record]:
    prefix = position.metadata_prefix or ""
    start = dt.date.fromisoformat(position.from_) if position.from_ else dt.date.min
    end = dt.date.fromisoformat(position.until) if position.until else dt.date.max
    return [
        record
        for record in repository.records
        if prefix in record.metadata
        and start <= record.datestamp <= end
        and (position.set_spec is None or record.in_set(position.set_spec))
    ]


def _list_records(request: Request, context: Context) -> Answer:
    """ListIdentifiers (headers only) and ListRecords (headers and metadata)."""
    position = _position(request, context)
    if isinstance(position, list):
        return position
    errors = _cannot_list(position, context.repository)
    if errors:
        return errors
    found = _matching(position, context.repository)
    if not found:
        return [OaiError("noRecordsMatch", "no record matches the request")]
    page = _page(len(found), position, context)
    if isinstance(page, list):
        return page
    body = etree.Element(_o(request.verb))
    prefix = position.metadata_prefix or ""
    for record in found[page.start : page.end]:
        if request.verb == "ListIdentifiers":
            body.append(_header(record))
        else:
            body.append(_record(record, prefix))
    if page.token is not None:
        body.append(page.token)
    return body
