// Possible duplicates as the agent types: fetch the server-rendered fragment, debounced.
// Without JavaScript the form still works; duplicates then show on the person's page.
(function () {
  var form = document.getElementById("register-form");
  var panel = document.getElementById("candidates");
  if (!form || !panel || !window.fetch) return;
  var fields = ["given_name", "family_name", "birth_date", "birth_year", "phone", "id_document_number", "sex",
                "return_date"];
  var timer = null, last = "";
  function query() {
    var params = new URLSearchParams();
    fields.forEach(function (name) {
      var el = form.elements[name];
      if (el && el.value.trim()) params.set(name, el.value.trim());
    });
    return params.toString();
  }
  function refresh() {
    var q = query();
    if (q === last || q === "") return;
    last = q;
    fetch(form.dataset.candidatesUrl + "?" + q, {credentials: "same-origin"})
      .then(function (r) { return r.ok ? r.text() : ""; })
      .then(function (html) { if (html && q === last) panel.innerHTML = html; });
  }
  form.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(refresh, 250);
  });
})();
