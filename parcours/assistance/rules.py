"""The rule language of assistance schemes: small, safe expressions over the facts of a person.

Examples: `return_date != None and return_date >= date(2019, 7, 1)`,
`received_category("reintegration") == 0`, `45000 + 1500 * training_days_attended`,
`300000 + 300000 * count_ages(household_ages, 19, 200) + 200000 * count_ages(household_ages, 14, 18)`.

Evaluated by `simpleeval` (a maintained AST-walking evaluator: no `eval`, no `exec`), behind a
second wall of our own: before anything runs, the parsed tree may only contain the node types in
`_ALLOWED_NODES` (no attribute access, subscripts, lambdas, comprehensions, `**`, shifts…), names
must be registered facts or whitelisted functions, constants are bounded and the text is short.
Every rule is checked this way when an administrator saves it, and again when it is evaluated."""

import ast
import datetime as dt
from functools import lru_cache

from django.utils.translation import gettext as _
from simpleeval import DEFAULT_OPERATORS, EvalWithCompoundTypes

MAX_LENGTH = 600
MAX_NODES = 200
MAX_CONSTANT = 10**12
# No assistance to one person reaches this (the SPEC's largest is a cash grant of a few hundred
# thousand XOF per household): an amount rule giving more, or less than 0, is a typing error.
MAX_AMOUNT_XOF = 100_000_000

_ALLOWED_NODES = (
    ast.Expression, ast.BoolOp, ast.And, ast.Or, ast.UnaryOp, ast.Not, ast.USub, ast.UAdd,
    ast.BinOp, ast.Add, ast.Sub, ast.Mult, ast.FloorDiv, ast.Mod,
    ast.Compare, ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.In, ast.NotIn,
    ast.IfExp, ast.Call, ast.Name, ast.Load, ast.Constant, ast.List, ast.Tuple,
)

_OPERATORS = {op: fn for op, fn in DEFAULT_OPERATORS.items()
              if op in (ast.Add, ast.Sub, ast.Mult, ast.FloorDiv, ast.Mod, ast.Eq, ast.NotEq, ast.Lt, ast.LtE,
                        ast.Gt, ast.GtE, ast.In, ast.NotIn, ast.Not, ast.USub, ast.UAdd)}


class RuleError(ValueError):
    """A rule that may not be saved or run; the message is for the administrator."""


def _count_ages(ages, low, high) -> int:
    return sum(1 for a in ages if a is not None and low <= a <= high)


def _date(year, month, day) -> dt.date:
    return dt.date(int(year), int(month), int(day))


# Pure functions any rule may call. Person-bound functions (received, …) come with the facts.
PURE_FUNCTIONS = {
    "date": _date,
    "count_ages": _count_ages,
    "min": min,
    "max": max,
    "len": len,
    "abs": abs,
}
CONSTANTS = {"True": True, "False": False, "None": None}


def _node_label(node: ast.AST) -> str:
    return {ast.Attribute: ".", ast.Subscript: "[ ]", ast.Pow: "**", ast.Lambda: "lambda",
            ast.LShift: "<<", ast.RShift: ">>", ast.Div: "/"}.get(type(node), type(node).__name__)


@lru_cache(maxsize=512)
def parse(text: str, known_names: frozenset) -> ast.Expression:
    """Parse and vet a rule; raise RuleError with a message saying what is wrong."""
    if not isinstance(text, str) or not text.strip():
        raise RuleError(_("The rule is empty."))
    if len(text) > MAX_LENGTH:
        raise RuleError(_("The rule is too long (at most %(max)d characters).") % {"max": MAX_LENGTH})
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise RuleError(_("Syntax error at character %(col)s.") % {"col": (exc.offset or 0)}) from None
    except (RecursionError, MemoryError, ValueError):  # absurd nesting, NUL bytes
        raise RuleError(_("The rule is too complex (at most %(max)d elements).") % {"max": MAX_NODES}) from None
    nodes = list(ast.walk(tree))
    if len(nodes) > MAX_NODES:
        raise RuleError(_("The rule is too complex (at most %(max)d elements).") % {"max": MAX_NODES})
    for node in nodes:
        if not isinstance(node, _ALLOWED_NODES):
            raise RuleError(_("“%(what)s” is not allowed in a rule.") % {"what": _node_label(node)})
        if isinstance(node, ast.Constant):
            if isinstance(node.value, bool) or node.value is None:
                continue
            if isinstance(node.value, int):
                if abs(node.value) > MAX_CONSTANT:
                    raise RuleError(_("The number %(n)s is too large.") % {"n": node.value})
            elif isinstance(node.value, str):
                if len(node.value) > 60:
                    raise RuleError(_("A text in the rule is too long."))
            else:
                raise RuleError(_("Only whole numbers and short texts may appear in a rule."))
        if isinstance(node, ast.Call) and (not isinstance(node.func, ast.Name) or node.keywords):
            raise RuleError(_("Only the listed functions may be called, with plain arguments."))
        if isinstance(node, ast.Name) and node.id not in known_names and node.id not in CONSTANTS:
            raise RuleError(_("Unknown name: “%(name)s”.") % {"name": node.id})
    return tree


def _constant_parts(tree: ast.Expression):
    """The largest parts of a rule that name no fact: `date(2020, 2, 30)`, `1000 // 0`…"""
    def is_constant(node) -> bool:
        for n in ast.walk(node):
            if isinstance(n, ast.Name) and n.id not in CONSTANTS and n.id not in PURE_FUNCTIONS:
                return False
            if isinstance(n, ast.Call) and not (isinstance(n.func, ast.Name) and n.func.id in PURE_FUNCTIONS):
                return False
        return True

    pending = [tree.body]
    while pending:
        node = pending.pop()
        if is_constant(node) and not isinstance(node, ast.Name):
            yield node
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.FloorDiv | ast.Mod) and is_constant(node.right):
            # `fact // 0`: the divisor alone is known; try it as `1 // divisor`.
            yield ast.BinOp(left=ast.Constant(1), op=node.op, right=node.right)
            pending.append(node.left)
        else:
            pending.extend(child for child in ast.iter_child_nodes(node) if isinstance(child, ast.expr))


def check_constant_parts(text: str, known_names: frozenset) -> None:
    """Refuse a rule a part of which fails whatever the person: an impossible date, a division by
    zero. Each such part is worked out once, now, with no fact."""
    tree = parse(text, known_names)
    evaluator = EvalWithCompoundTypes(operators=_OPERATORS, functions=PURE_FUNCTIONS, names=CONSTANTS)
    for part in _constant_parts(tree):
        expression = ast.unparse(part)
        try:
            evaluator.eval(expression, previously_parsed=part)
        except ZeroDivisionError:
            raise RuleError(_("“%(expr)s” divides by zero.") % {"expr": expression}) from None
        except Exception as exc:  # noqa: BLE001 - any failure is the rule's
            if any(isinstance(n, ast.Call) and n.func.id == "date" for n in ast.walk(part)):
                raise RuleError(_("“%(expr)s” is not a date that exists.") % {"expr": expression}) from None
            raise RuleError(_("“%(expr)s” cannot be worked out (%(error)s).")
                            % {"expr": expression, "error": type(exc).__name__}) from None


def check_on_samples(text: str, *, samples: list[dict], functions: dict, amount: bool = False) -> None:
    """Try a rule on sample people (typical values of every fact, none unknown): refuse it when it
    fails for one of them — it would fail for such people, or for everyone — and, for an amount, when any gives a negative, absurd
    or non-whole result. Samples lacking a fact the rule names are skipped."""
    results, failures = [], []
    for sample in samples:
        names = {**sample, **{k: v for k, v in functions.items() if k not in sample}}
        try:
            tree = parse(text, frozenset(names) | frozenset(PURE_FUNCTIONS))
        except RuleError:
            continue  # names a fact this sample does not have
        if not names_in(tree) <= set(names) | set(PURE_FUNCTIONS) | set(CONSTANTS):
            continue
        try:
            results.append(evaluate(text, names={k: v for k, v in names.items() if not callable(v)},
                                    functions={k: v for k, v in names.items() if callable(v)}))
        except RuleError as exc:
            failures.append(exc)
    if failures:
        raise RuleError(_("The rule cannot be evaluated for a sample person: %(error)s") % {"error": failures[0]})
    if amount:
        for value in results:
            if isinstance(value, bool) or not isinstance(value, int):
                raise RuleError(_("The amount must be a whole number of XOF, not “%(value)s”.") % {"value": value})
            if not 0 <= value <= MAX_AMOUNT_XOF:
                raise RuleError(_("For a sample person the amount would be %(value)s XOF: it must be between 0 "
                                  "and %(max)s.") % {"value": value, "max": MAX_AMOUNT_XOF})


def names_in(tree: ast.Expression) -> set[str]:
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}


def evaluate(text: str, *, names: dict, functions: dict):
    """Run a vetted rule. `names` maps fact names to values; `functions` adds person-bound calls."""
    known = frozenset(names) | frozenset(functions) | frozenset(PURE_FUNCTIONS)
    tree = parse(text, known)
    evaluator = EvalWithCompoundTypes(operators=_OPERATORS, functions={**PURE_FUNCTIONS, **functions},
                           names={**CONSTANTS, **names})
    try:
        return evaluator.eval(text.strip(), previously_parsed=tree.body)
    except RuleError:
        raise
    except Exception as exc:  # noqa: BLE001 - any failure of a data-defined rule is reported, not raised
        raise RuleError(_("The rule could not be evaluated: %(error)s") % {"error": type(exc).__name__}) from None
