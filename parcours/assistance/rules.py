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
