"""Skip logic for the desk form: the XForm `relevant` expressions pyxform writes for the usual
XLSForm conditions (`${q} = 'no'`, `${age} >= 18`, `selected(${needs}, 'food')`, `not(...)`,
`and`, `or`, parentheses), read into a small tree the server evaluates when it receives the
answers and the page's script (static/surveys/relevance.js) evaluates as the user types, so both
apply the same rule. An expression outside that subset gives None: the question is always asked
(its answer kept), never hidden by mistake.

The tree, as JSON: ["and"|"or", a, b, ...], ["not", a], ["sel", name, value], [op, left, right]
with op one of = != < <= > >= and each side ["q", name] (a question's answer) or ["v", literal]."""

import math
import re

TOKEN = re.compile(r"""\s*(?:(?P<path>/[\w.-]+(?:/[\w.-]+)*)|'(?P<s1>[^']*)'|"(?P<s2>[^"]*)"|(?P<num>-?\d+(?:\.\d+)?)"""
                   r"""|(?P<op>!=|<=|>=|=|<|>)|(?P<punct>[(),])|(?P<word>[a-z][\w-]*))""")
COMPARE = {"=", "!=", "<", "<=", ">", ">="}


class Unsupported(ValueError):
    pass


def _tokens(text: str) -> list[tuple[str, str]]:
    out, pos, text = [], 0, text.strip()
    while pos < len(text):
        found = TOKEN.match(text, pos)
        if found is None or found.end() == pos:
            raise Unsupported(text[pos:])
        kind = found.lastgroup
        value = found.group(kind)
        out.append(("str" if kind in ("s1", "s2") else kind, value))
        pos = found.end()
    return out


class _Parser:
    def __init__(self, tokens, root: str):
        self.tokens, self.pos, self.root = tokens, 0, root

    def peek(self):
        return self.tokens[self.pos] if self.pos < len(self.tokens) else (None, None)

    def take(self, kind=None, value=None):
        token = self.peek()
        if token[0] is None or (kind and token[0] != kind) or (value and token[1] != value):
            raise Unsupported(str(token))
        self.pos += 1
        return token[1]

    def joined(self, word: str, inner) -> list:
        parts = [inner()]
        while self.peek() == ("word", word):
            self.take()
            parts.append(inner())
        return parts[0] if len(parts) == 1 else [word, *parts]

    def expression(self):
        return self.joined("or", lambda: self.joined("and", self.unary))

    def unary(self):
        kind, value = self.peek()
        if (kind, value) == ("word", "not"):
            self.take()
            self.take("punct", "(")
            inner = self.expression()
            self.take("punct", ")")
            return ["not", inner]
        if (kind, value) == ("word", "selected"):
            self.take()
            self.take("punct", "(")
            name = self.question()
            self.take("punct", ",")
            literal = self.take("str")
            self.take("punct", ")")
            return ["sel", name, literal]
        if (kind, value) == ("punct", "("):
            self.take()
            inner = self.expression()
            self.take("punct", ")")
            return inner
        left = self.operand()
        op = self.take("op")
        return [op, left, self.operand()]

    def question(self) -> str:
        path = self.take("path")
        if not path.startswith(self.root):
            raise Unsupported(path)
        return path[len(self.root):]

    def operand(self):
        kind, value = self.peek()
        if kind == "path":
            return ["q", self.question()]
        if kind in ("str", "num"):
            self.take()
            return ["v", value if kind == "str" else float(value)]
        raise Unsupported(str(value))


def parse(expression: str, root: str = "/data/"):
    """The tree of a `relevant` expression, or None when it is outside the subset."""
    if not expression or not expression.strip():
        return None
    try:
        parser = _Parser(_tokens(expression), root)
        tree = parser.expression()
        if parser.pos != len(parser.tokens):
            raise Unsupported(expression)
    except Unsupported:
        return None
    return tree


def both(trees: list):
    """The conjunction of a question's own condition and its groups' (Nones dropped)."""
    kept = [t for t in trees if t is not None]
    return None if not kept else kept[0] if len(kept) == 1 else ["and", *kept]


def _number(value) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def _compare(op: str, left, right) -> bool:
    # As XPath 1.0: = and != compare as numbers when a side is a number, < and > always do.
    if op in ("=", "!=") and not isinstance(left, float) and not isinstance(right, float):
        return (left == right) == (op == "=")
    a, b = _number(left), _number(right)
    if math.isnan(a) or math.isnan(b):
        return op == "!="
    return {"=": a == b, "!=": a != b, "<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op]


def evaluate(tree, values: dict[str, str]) -> bool:
    """Whether the question is relevant, given the answers so far ("many" answers space-separated)."""
    if tree is None:
        return True
    head = tree[0]
    if head == "and":
        return all(evaluate(t, values) for t in tree[1:])
    if head == "or":
        return any(evaluate(t, values) for t in tree[1:])
    if head == "not":
        return not evaluate(tree[1], values)
    if head == "sel":
        return tree[2] in (values.get(tree[1]) or "").split()

    def side(operand):
        return (values.get(operand[1]) or "") if operand[0] == "q" else operand[1]

    return _compare(head, side(tree[1]), side(tree[2]))
