"""Answering a questionnaire at a desk, in the web app: the XForm pyxform wrote, read back as a
list of questions (text, numbers, dates, one or several choices, labels in the page's language),
and the answers written as the XForm instance a phone would send, so they go through the same
service (`submission_receive`). Skip logic for the usual conditions (parcours.surveys.relevance):
a question that does not apply is hidden by the page's script and its answer dropped by the
server, which enforces it either way. Light on purpose: no constraints or repeat groups — those
forms are filled on a phone (ODK Collect, KoboCollect) or in Enketo."""

import datetime as dt
import json
import re
import uuid
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from defusedxml.ElementTree import fromstring
from django.utils import timezone

from . import relevance
from .xform import _local

CONTROLS = {"input", "select1", "select"}
ITEXT = re.compile(r"jr:itext\('([^']+)'\)")


@dataclass
class Question:
    name: str  # the path under the root, "group/question"
    kind: str  # text, integer, decimal, date, one, many
    label: str
    required: bool
    choices: list[tuple[str, str]] = field(default_factory=list)
    value: str = ""
    error: str = ""
    relevant: list | None = None  # its skip-logic condition (and its groups'), as relevance.parse gives

    @property
    def relevant_json(self) -> str:
        return json.dumps(self.relevant, separators=(",", ":")) if self.relevant is not None else ""


def _translations(root, language: str) -> dict[str, str]:
    chosen, default = None, None
    for tr in root.iter():
        if _local(tr.tag) != "translation":
            continue
        if default is None or tr.get("default"):
            default = tr
        if f"({language})" in tr.get("lang", ""):
            chosen = tr
    texts = {}
    for tr in (default, chosen):
        if tr is None:
            continue
        for text in tr:
            value = next((v for v in text if _local(v.tag) == "value" and not v.get("form")), None)
            if value is not None:
                texts[text.get("id", "")] = "".join(value.itertext()).strip()
    return texts


def _label(el, texts) -> str:
    label = next((c for c in el if _local(c.tag) == "label"), None)
    if label is None:
        return ""
    found = ITEXT.search(label.get("ref", ""))
    return texts.get(found.group(1), "") if found else "".join(label.itertext()).strip()


def questions(xform: str, language: str = "fr") -> list[Question]:
    root = fromstring(xform.encode("utf-8"))
    texts = _translations(root, language)
    binds = {b.get("nodeset", ""): b for b in root.iter() if _local(b.tag) == "bind"}
    instances = {i.get("id"): i for i in root.iter() if _local(i.tag) == "instance" and i.get("id")}
    out: list[Question] = []

    def choices(control) -> list[tuple[str, str]]:
        found = []
        for child in control:
            if _local(child.tag) == "item":
                value = next((c.text or "" for c in child if _local(c.tag) == "value"), "")
                found.append((value, _label(child, texts) or value))
            elif _local(child.tag) == "itemset":
                name = re.search(r"instance\('([^']+)'\)", child.get("nodeset", ""))
                for item in instances[name.group(1)].iter() if name and name.group(1) in instances else []:
                    if _local(item.tag) != "item":
                        continue
                    parts = {_local(c.tag): (c.text or "") for c in item}
                    value = parts.get("name", "")
                    label = texts.get(parts["itextId"], "") if "itextId" in parts else parts.get("label", "")
                    found.append((value, label or value))
        return found

    def condition(ref: str):
        bind = binds.get(ref)
        return relevance.parse(bind.get("relevant", "")) if bind is not None else None

    def walk(el, conditions: list) -> None:
        for child in el:
            tag = _local(child.tag)
            if tag == "repeat":
                continue  # answered on a phone
            if tag == "group":
                walk(child, [*conditions, condition(child.get("ref", ""))])
                continue
            if tag not in CONTROLS:
                continue
            ref = child.get("ref", "")
            bind = binds.get(ref)
            if bind is None or not ref.startswith("/data/"):
                continue
            kind = {"select1": "one", "select": "many"}.get(tag) or {
                "int": "integer", "decimal": "decimal", "date": "date"}.get(bind.get("type", ""), "text")
            if bind.get("type") in ("geopoint", "binary", "dateTime", "time") or bind.get("readonly"):
                continue
            out.append(Question(ref[len("/data/"):], kind, _label(child, texts) or ref, "true()" in
                                (bind.get("required") or ""), choices(child) if kind in ("one", "many") else [],
                                relevant=relevance.both([*conditions, condition(ref)])))

    body = next((e for e in root.iter() if _local(e.tag) == "body"), None)
    if body is not None:
        walk(body, [])
    return out


def bind_answers(items: list[Question], data) -> bool:
    """Read the posted answers into `items`; False (each error on its question) if one is wrong.
    A question whose condition is false is neither required nor checked, and its answer is dropped
    (as a phone does), whatever the browser sent."""
    from django.utils.translation import gettext as _

    ok = True
    for q in items:
        if q.kind == "many":
            allowed = {v for v, _label in q.choices}
            picked = [v for v in data.getlist(q.name) if v in allowed]
            q.value = " ".join(picked)
        else:
            q.value = (data.get(q.name) or "").strip()[:2000]
    values = {q.name: q.value for q in items}
    for q in items:  # in the form's order: a dropped answer counts as empty for the questions after it
        if not relevance.evaluate(q.relevant, values):
            q.value = values[q.name] = ""
            continue
        if not q.value:
            if q.required:
                q.error, ok = _("This field is required."), False
            continue
        if q.kind == "one" and q.value not in {v for v, _label in q.choices}:
            q.error, ok = _("Choose one of the answers offered."), False
        elif q.kind == "integer" and not re.fullmatch(r"-?\d{1,12}", q.value):
            q.error, ok = _("Enter a whole number."), False
        elif q.kind == "decimal" and not re.fullmatch(r"-?\d{1,12}([.,]\d{1,6})?", q.value):
            q.error, ok = _("Enter a number."), False
        elif q.kind == "date":
            try:
                dt.date.fromisoformat(q.value)
            except ValueError:
                q.error, ok = _("Enter a date as YYYY-MM-DD."), False
        if q.kind == "decimal":
            q.value = values[q.name] = q.value.replace(",", ".")
    return ok


def instance_xml(xform: str, items: list[Question]) -> bytes:
    """The XForm instance a phone would send: the form's skeleton with the answers, today's date,
    the start time and a new instanceID."""
    root = fromstring(xform.encode("utf-8"))
    skeleton = next(el for el in root.iter() if _local(el.tag) == "instance" and len(el))[0]
    preloads = {b.get("nodeset", ""): b.get("jr:preloadParams") or b.get("{http://openrosa.org/javarosa}preloadParams")
                for b in root.iter() if _local(b.tag) == "bind"}
    values = {q.name: q.value for q in items}
    now = timezone.localtime()

    def write(el, prefix: str) -> str:
        name = _local(el.tag)
        path = f"{prefix}{name}"
        if el.get("{http://openrosa.org/javarosa}template") is not None:
            return ""
        if len(el):
            seen, inner = set(), []
            for child in el:
                if _local(child.tag) in seen:
                    continue  # a repeat's first instance: not answered here
                seen.add(_local(child.tag))
                inner.append(write(child, f"{path}/"))
            return f"<{name}>{''.join(inner)}</{name}>"
        full = "/data/" + path
        preload = preloads.get(full)
        if path == "meta/instanceID":
            value = f"uuid:{uuid.uuid4()}"
        elif preload == "today":
            value = now.date().isoformat()
        elif preload in ("start", "end"):
            value = now.isoformat(timespec="milliseconds")
        else:
            value = values.get(path, "")
        return f"<{name}>{escape(value)}</{name}>"

    skeleton_name = _local(skeleton.tag)
    inner = "".join(write(child, "") for child in skeleton)
    attrs = " ".join(f'{k}="{escape(v)}"' for k, v in skeleton.attrib.items() if k in ("id", "version"))
    return f"<{skeleton_name} {attrs}>{inner}</{skeleton_name}>".encode()
