// Translator workspace: Ctrl/⌘+Enter saves and opens the next entry; checks run as you type.
(function () {
  "use strict";
  var form = document.getElementById("entry-form");
  if (!form) { return; }

  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      var button = form.querySelector('button[value="save-next"]');
      if (form.requestSubmit) { form.requestSubmit(button); } else { button.click(); }
    }
  });

  var list = document.getElementById("checks");
  var token = document.querySelector('meta[name="csrf-token"]');
  var url = form.getAttribute("data-checks-url");
  var plural = form.getAttribute("data-plural") === "true";
  var timer = null;

  function proposed() {
    if (!plural) { return { msgstr: form.elements.msgstr.value }; }
    var forms = {};
    form.querySelectorAll("textarea").forEach(function (area) {
      forms[area.name.replace("msgstr_", "")] = area.value;
    });
    return { msgstr_plural: forms };
  }

  function show(results) {
    list.textContent = "";
    if (!results.length) {
      var quiet = document.createElement("li");
      quiet.className = "quiet";
      quiet.textContent = list.getAttribute("data-quiet") || "✓";
      list.appendChild(quiet);
      return;
    }
    results.forEach(function (result) {
      var item = document.createElement("li");
      item.className = "level " + result.level;
      var level = document.createElement("strong");
      level.textContent = result.level;
      item.appendChild(level);
      item.appendChild(document.createTextNode(" · " + result.check + ": " + result.message));
      list.appendChild(item);
    });
  }

  function check() {
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token ? token.content : "" },
      body: JSON.stringify(proposed())
    }).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (data) {
      if (data) { show(data.checks); }
    }).catch(function () { /* the checks run again on save */ });
  }

  var quietItem = list.querySelector("li.quiet");
  if (quietItem) { list.setAttribute("data-quiet", quietItem.textContent); }
  form.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(check, 400);
  });
}());
