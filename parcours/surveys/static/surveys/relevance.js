// Skip logic on the desk form: each question with a condition (data-relevant, the tree
// parcours/surveys/relevance.py reads from the XForm) is hidden and its inputs disabled while the
// condition is false, re-checked as the user answers. The server applies the same rule when it
// receives the answers; without JavaScript every question shows and the server drops the rest.
(function () {
  var form = document.getElementById("answers");
  if (!form) return;
  var fields = Array.prototype.slice.call(form.querySelectorAll(".field"));

  function answer(field) {
    var picked = [];
    field.querySelectorAll("input, select, textarea").forEach(function (el) {
      if (el.disabled) return;
      if (el.type === "radio" || el.type === "checkbox") { if (el.checked) picked.push(el.value); }
      else if (el.value.trim()) picked.push(el.value.trim());
    });
    return picked.join(" ");
  }
  function name(field) {
    var el = field.querySelector("[name]");
    return el ? el.name : "";
  }
  function number(v) { return v === "" || v === null || isNaN(Number(v)) ? NaN : Number(v); }
  function compare(op, a, b) {
    // As XPath 1.0 (and relevance.py): = and != compare as numbers when a side is a number.
    if ((op === "=" || op === "!=") && typeof a !== "number" && typeof b !== "number") {
      return (a === b) === (op === "=");
    }
    var x = number(a), y = number(b);
    if (isNaN(x) || isNaN(y)) return op === "!=";
    return {"=": x === y, "!=": x !== y, "<": x < y, "<=": x <= y, ">": x > y, ">=": x >= y}[op];
  }
  function evaluate(tree, values) {
    var head = tree[0], rest = tree.slice(1);
    if (head === "and") return rest.every(function (t) { return evaluate(t, values); });
    if (head === "or") return rest.some(function (t) { return evaluate(t, values); });
    if (head === "not") return !evaluate(tree[1], values);
    if (head === "sel") return (values[tree[1]] || "").split(" ").indexOf(tree[2]) >= 0;
    function side(o) { return o[0] === "q" ? (values[o[1]] || "") : o[1]; }
    return compare(head, side(tree[1]), side(tree[2]));
  }
  function refresh() {
    var values = {};
    fields.forEach(function (field) {
      if (field.dataset.relevant) {
        var shown = evaluate(JSON.parse(field.dataset.relevant), values);
        field.hidden = !shown;
        field.querySelectorAll("input, select, textarea").forEach(function (el) { el.disabled = !shown; });
      }
      values[name(field)] = field.hidden ? "" : answer(field);
    });
  }
  form.addEventListener("input", refresh);
  form.addEventListener("change", refresh);
  refresh();
})();
