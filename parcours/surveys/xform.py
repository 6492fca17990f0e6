"""Reading XForm instances as ODK Collect, KoboCollect and Enketo send them: the form id and
version on the root, meta/instanceID and meta/deprecatedID, and the answers as flat paths
("group/question", Kobo's column convention)."""

import datetime as dt
import re
from dataclasses import dataclass
from xml.etree import ElementTree as ET  # noqa: S405 - parsed with defusedxml below

from defusedxml.ElementTree import fromstring


@dataclass
class Instance:
    form_id: str
    version: str
    instance_id: str
    deprecated_id: str
    values: dict[str, str]


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _walk(el: ET.Element, prefix: str, out: dict) -> None:
    for child in el:
        name = _local(child.tag)
        path = f"{prefix}{name}"
        if len(child):
            if name == "meta":
                continue
            _walk(child, path + "/", out)
        else:
            out[path] = (child.text or "").strip()


def parse_instance(xml: bytes) -> Instance:
    """Raises ValueError when the body is not an XForm instance."""
    try:
        root = fromstring(xml)
    except Exception as exc:  # defusedxml raises several kinds for hostile or broken XML
        raise ValueError(str(exc)) from None
    meta = next((c for c in root if _local(c.tag) == "meta"), None)
    found = {_local(c.tag): (c.text or "").strip() for c in meta} if meta is not None else {}
    values: dict[str, str] = {}
    _walk(root, "", values)
    form_id = root.get("id", "")
    if not form_id or not found.get("instanceID"):
        raise ValueError("missing form id or meta/instanceID")
    return Instance(form_id, root.get("version", ""), found["instanceID"], found.get("deprecatedID", ""), values)


def collected_on(values: dict[str, str], default: dt.date) -> dt.date:
    """The day the answers were collected (a phone may send them weeks later): the form's
    `today`, `start` or `end` when it has one."""
    for key in ("today", "start", "end", "date"):
        raw = values.get(key, "")
        if raw:
            try:
                return dt.date.fromisoformat(raw[:10])
            except ValueError:
                continue
    return default


def form_identity(xform: str) -> tuple[str, str, str]:
    """(form id, version, title) of an XForm as pyxform writes it."""
    root = fromstring(xform.encode("utf-8"))
    title, first_instance = "", None
    for el in root.iter():
        name = _local(el.tag)
        if name == "title" and not title:
            title = (el.text or "").strip()
        if name == "instance" and first_instance is None and len(el):
            first_instance = el[0]
    if first_instance is None:
        raise ValueError("no instance")
    return first_instance.get("id", ""), first_instance.get("version", ""), title


# Media a form points at: jr://images/…, jr://audio/…, jr://video/…, jr://file/…, jr://file-csv/…
# (pulldata()'s external instance), and the CSV a search('NAME') appearance reads.
JR_MEDIA = re.compile(r"jr://(?:images|audio|video|file|file-csv)/([^\s\"'<>]+)")
SEARCH_CSV = re.compile(r"search\(\s*(?:'|&apos;|&quot;|\")([^'\"&]+)")


def media_references(xform: str) -> set[str]:
    """The file names the form needs served with it (its manifest)."""
    return set(JR_MEDIA.findall(xform)) | {f"{name}.csv" for name in SEARCH_CSV.findall(xform)}
