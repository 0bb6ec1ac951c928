// Translator workspace: Ctrl/⌘+Enter saves and opens the next entry; checks run as you type; copy source.
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
  var url = form.getAttribute("data-checks-url");
  var timer = null;

  // The server runs the checks on the form's draft and answers the list items, in the page's language.
  function check() {
    fetch(url, { method: "POST", credentials: "same-origin", body: new FormData(form) })
      .then(function (response) {
        return response.ok ? response.text() : null;
      }).then(function (items) {
        if (items !== null) { list.innerHTML = items; }
      }).catch(function () { /* the checks run again on save */ });
  }

  form.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(check, 400);
  });
}());

// Translation memory: a suggestion's button (or Alt+1…9) puts its text into the first translation field.
(function () {
  "use strict";
  var form = document.getElementById("entry-form");
  var buttons = document.querySelectorAll("button.use-suggestion");
  if (!form || !buttons.length) { return; }
  var field = form.querySelector("textarea");

  function use(button) {
    field.value = button.getAttribute("data-text");
    field.focus();
    field.dispatchEvent(new Event("input", { bubbles: true }));  // the checks run on the new draft
  }

  Array.prototype.forEach.call(buttons, function (button) {
    button.addEventListener("click", function () { use(button); });
  });
  document.addEventListener("keydown", function (event) {
    if (!event.altKey || event.ctrlKey || event.metaKey) { return; }
    var number = /^Digit([1-9])$/.exec(event.code || "");
    if (number && buttons[number[1] - 1]) {
      event.preventDefault();
      use(buttons[number[1] - 1]);
    }
  });
}());

// "Copy source": puts the source into the translation field(s) (the plural source into the other forms).
(function () {
  "use strict";
  var form = document.getElementById("entry-form");
  var button = document.querySelector("button.copy-source");
  if (!form || !button) { return; }
  var fields = form.querySelectorAll("textarea");
  button.hidden = false;  // without script the button would do nothing: it is shown only now
  button.addEventListener("click", function () {
    var plural = button.getAttribute("data-source-plural");
    Array.prototype.forEach.call(fields, function (field, index) {
      field.value = index > 0 && plural ? plural : button.getAttribute("data-source");
    });
    fields[0].focus();
    fields[0].dispatchEvent(new Event("input", { bubbles: true }));  // the checks run on the new draft
  });
}());
