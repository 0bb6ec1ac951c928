/* Language suggestion banner: decided here, in the browser, so every reader gets the same cached page.
 *
 * The page lists, in #language-suggestions, each other language with the banner's words in
 * that language and where "switch" leads. When the reader has not chosen a language (no
 * `lang` cookie naming one) and the first of navigator.languages that the site offers is not
 * the page's language, the banner offers it; "stay" sets the cookie so it never comes back.
 */
(function () {
  "use strict";

  var COOKIE = "lang";
  var ONE_YEAR = 365 * 24 * 60 * 60;
  var data = document.getElementById("language-suggestions");
  if (!data) {
    return;
  }
  var pageLanguage = data.getAttribute("data-page-language");
  var offers = Array.prototype.slice.call(data.querySelectorAll("[data-language]"));
  var codes = [pageLanguage].concat(offers.map(function (offer) {
    return offer.getAttribute("data-language");
  }));

  function parts(tag) {
    return String(tag).toLowerCase().replace(/_/g, "-").split("-");
  }

  function chosenLanguage() {
    var match = document.cookie.match(/(?:^|;\s*)lang=([^;]*)/);
    if (!match) {
      return null;
    }
    var value = decodeURIComponent(match[1]).trim().toLowerCase();
    return codes.filter(function (code) { return code.toLowerCase() === value; })[0] || null;
  }

  /* The site's language a browser tag asks for: the same region first, then the same language. */
  function matchTag(tag) {
    var wanted = parts(tag);
    var exact = codes.filter(function (code) { return parts(code).join("-") === wanted.join("-"); });
    if (exact.length) {
      return exact[0];
    }
    return codes.filter(function (code) { return parts(code)[0] === wanted[0]; })[0] || null;
  }

  function preferredOffer() {
    var preferred = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language];
    for (var index = 0; index < preferred.length; index += 1) {
      var language = preferred[index] ? matchTag(preferred[index]) : null;
      if (language === pageLanguage) {
        return null;
      }
      if (language) {
        return offers.filter(function (offer) { return offer.getAttribute("data-language") === language; })[0];
      }
    }
    return null;
  }

  function stay(banner) {
    var secure = window.location.protocol === "https:" ? "; Secure" : "";
    document.cookie = COOKIE + "=" + encodeURIComponent(pageLanguage) + "; Max-Age=" + ONE_YEAR +
      "; Path=/; SameSite=Lax" + secure;
    banner.parentNode.removeChild(banner);
    /* The button that had the focus is gone: keyboard users go on from the page's content. */
    var main = document.querySelector("main");
    if (main) {
      main.setAttribute("tabindex", "-1");
      main.focus();
    }
  }

  function show(offer) {
    var banner = document.createElement("div");
    banner.className = "suggestion";
    banner.id = "language-suggestion";
    banner.lang = offer.getAttribute("data-html-lang");
    banner.setAttribute("role", "region");
    banner.setAttribute("aria-label", offer.getAttribute("data-label"));

    var message = document.createElement("p");
    message.textContent = offer.getAttribute("data-message");
    var actions = document.createElement("p");
    actions.className = "suggestion-actions";
    var switchLink = document.createElement("a");
    switchLink.className = "button suggestion-switch";
    switchLink.href = offer.getAttribute("data-href");
    switchLink.hreflang = offer.getAttribute("data-html-lang");
    switchLink.textContent = offer.getAttribute("data-switch");
    var stayButton = document.createElement("button");
    stayButton.type = "button";
    stayButton.className = "suggestion-stay";
    stayButton.textContent = offer.getAttribute("data-stay");
    stayButton.addEventListener("click", function () { stay(banner); });
    actions.appendChild(switchLink);
    actions.appendChild(stayButton);
    banner.appendChild(message);
    banner.appendChild(actions);

    var header = document.querySelector(".site-header");
    if (header && header.parentNode) {
      header.parentNode.insertBefore(banner, header.nextSibling);
    } else {
      document.body.insertBefore(banner, document.body.firstChild);
    }
  }

  if (chosenLanguage()) {
    return;
  }
  var offer = preferredOffer();
  if (offer) {
    show(offer);
  }
}());
