/* Relative times ("2 hours ago") written here, in the browser, so cached pages never go stale.
 *
 * The page carries only the moment (an ISO 8601 datetime in data-ago); the reader's clock
 * and Intl.RelativeTimeFormat in the page's language (<html lang>) say how long ago it was.
 * A browser without Intl.RelativeTimeFormat shows nothing more than the absolute date.
 */
(function () {
  "use strict";

  if (typeof Intl === "undefined" || !Intl.RelativeTimeFormat) {
    return;
  }
  var UNITS = [
    ["year", 365 * 24 * 3600], ["month", 30 * 24 * 3600], ["week", 7 * 24 * 3600],
    ["day", 24 * 3600], ["hour", 3600], ["minute", 60], ["second", 1]
  ];
  var language = document.documentElement.lang || "en";
  var format;
  try {
    format = new Intl.RelativeTimeFormat(language, { numeric: "always" });
  } catch (error) {
    return;
  }

  /* The largest unit of which at least one has passed, rounded as Babel's format_timedelta does. */
  function ago(seconds) {
    for (var index = 0; index < UNITS.length; index += 1) {
      var value = seconds / UNITS[index][1];
      if (Math.round(value) >= 1) {
        return format.format(-Math.round(value), UNITS[index][0]);
      }
    }
    return format.format(-1, "second");
  }

  var now = Date.now();
  var elements = document.querySelectorAll("[data-ago]");
  for (var index = 0; index < elements.length; index += 1) {
    var moment = Date.parse(elements[index].getAttribute("data-ago"));
    if (isNaN(moment)) {
      continue;
    }
    elements[index].textContent = "(" + ago(Math.max(1, (now - moment) / 1000)) + ")";
    elements[index].hidden = false;
  }
}());
