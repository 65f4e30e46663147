// The kiosk screen. It runs unattended for months, so:
// - the rotation runs here, from the slide set this page holds (the server
//   rendered it into the page; later sets come from /slides as a fragment);
// - every check (15 s) reports the slide on screen (heartbeat) and gets a
//   tiny version marker back; it fetches the set only when the marker moved;
//   the set is also kept in localStorage;
// - when the server cannot be reached the last good set keeps rotating, items
//   whose time has passed are dropped, and after two failed checks a discreet
//   "dane z 14:05" appears; the next good check clears it and refreshes;
// - the browser never navigates away from the page (a reload at the wrong
//   moment ends on the browser's error page, with no script left to recover).
//   When the check answers a new code version, and once a night, the page is
//   renewed in place: it is fetched again and must arrive whole (HTTP 200,
//   #kiosk with a slide set, the end marker #kiosk-end); its stylesheet and
//   script (versioned URLs) are loaded next to the running ones; only then
//   does this copy stop its timers, the new <body> and stylesheet take over
//   in one step and the new code starts (the same code: this copy starts
//   again on the new page). Anything failing leaves the old page rotating,
//   and the next check tries again;
// - a script element with data-handover does not start: it leaves its start
//   function on the element (kioskBoot) for the copy that loaded it. Every
//   later version of this file must keep that contract;
// - outside the screen's hours the night screen wins over everything, urgent
//   notices included; a full-screen notice replaces the rotation from its
//   start to its end; a banner notice is a strip above every slide while the
//   rotation goes on;
// - a new set that brings a new or changed "Dziś" slide (data-digest differs
//   from the slide of the same key before) shows that slide next, not after
//   the rest of the rotation;
// - a fixed number of timers and DOM nodes: slides are shown and hidden, a
//   new set replaces the old one in one swap, nothing is appended per slide;
//   a stopped copy arms no timer again.
(function () {
  "use strict";

  // The element this copy came from: the page's own script, or the one a
  // running copy loaded to renew the page.
  var script = document.currentScript;

  function boot() {
    var root = document.getElementById("kiosk");
    if (!root) { return; }

    var ZONE = "Europe/Warsaw";
    var DAY_MS = 86400000;
    var config = {
      versionUrl: root.getAttribute("data-version-url"),
      slidesUrl: root.getAttribute("data-slides-url"),
      heartbeatUrl: root.getAttribute("data-heartbeat-url"),
      storageKey: root.getAttribute("data-storage-key"),
      checkMs: Math.max(200, (parseFloat(root.getAttribute("data-check-seconds")) || 15) * 1000),
      code: root.getAttribute("data-code") || "",
      offlineText: root.getAttribute("data-offline-text") || "{time}"
    };

    var night = document.getElementById("kiosk-night");
    var nightText = night.querySelector(".night-text");
    var positionBox = document.getElementById("kiosk-position");
    var positionValue = document.getElementById("kiosk-position-value");
    var offline = document.getElementById("kiosk-offline");
    var clocks = root.querySelectorAll("[data-clock]");
    var dateEl = root.querySelector("[data-date]");
    var parser = document.createElement("template");

    var timeFormat = new Intl.DateTimeFormat("pl-PL",
      {timeZone: ZONE, hour: "2-digit", minute: "2-digit", hourCycle: "h23"});
    var dayFormat = new Intl.DateTimeFormat("en-CA",
      {timeZone: ZONE, year: "numeric", month: "2-digit", day: "2-digit"});
    var hourFormat = new Intl.DateTimeFormat("en-GB", {timeZone: ZONE, hour: "2-digit", hourCycle: "h23"});
    var dateFormat = new Intl.DateTimeFormat(document.documentElement.lang || "pl",
      {timeZone: ZONE, weekday: "long", day: "numeric", month: "long"});

    // The set in use.
    var setEl = null;
    var version = "";
    var slides = [];
    var notices = [];
    var banners = [];
    var fallback = null;
    var next = [];        // slides to show before the rotation goes on (changed "Dziś")
    var nights = [];
    var countdowns = {};
    var countdownDay = "";

    // What is on screen.
    var current = null;   // the slide element shown, or null at night
    var mode = "";        // rotation | fallback | notice | night
    var position = 0;
    var count = 0;
    var shift = 0;

    // Timers: exactly three, each re-armed by itself.
    var rotationTimer = 0;
    var checkTimer = 0;
    var clockTimer = 0;

    var failures = 0;
    var lastGood = Date.now();
    var loadedAt = Date.now();
    var clockText = "";
    var clockMinute = -1;
    var busy = false;
    var inflight = null;  // the check under way (a promise), for the test hooks
    var stopped = false;

    function parseJson(text, otherwise) {
      if (!text) { return otherwise; }
      try { return JSON.parse(text); } catch (error) { return otherwise; }
    }

    function number(el, name) {
      var value = el.getAttribute(name);
      return value ? Number(value) : 0;
    }

    // --- the set ---------------------------------------------------------------

    function adopt(el) {
      setEl = el;
      version = el.getAttribute("data-v") || "";
      countdowns = parseJson(el.getAttribute("data-countdowns"), {});
      nights = parseJson(el.getAttribute("data-nights"), []);
      countdownDay = el.getAttribute("data-day") || "";
      slides = [];
      notices = [];
      banners = Array.prototype.slice.call(el.querySelectorAll(".kiosk-banner"));
      fallback = null;
      current = null;
      next = [];
      var all = el.querySelectorAll(".slide");
      for (var i = 0; i < all.length; i += 1) {
        var kind = all[i].getAttribute("data-kind");
        if (kind === "notice") { notices.push(all[i]); }
        else if (kind === "fallback") { fallback = all[i]; }
        else { slides.push(all[i]); }
        if (!all[i].hidden) { current = all[i]; }
      }
    }

    function store(html) {
      if (!config.storageKey) { return; }
      try {
        window.localStorage.setItem(config.storageKey, JSON.stringify({v: version, html: html, at: lastGood}));
      } catch (error) { /* full or unavailable: memory is enough */ }
    }

    function parseSet(html) {
      parser.innerHTML = html;
      var el = parser.content.querySelector("#kiosk-set");
      parser.innerHTML = "";
      return el && el.getAttribute("data-v") ? el : null;
    }

    // Put a new set in place of the old one, keeping the slide on screen when
    // the new set still has it (a staff edit then shows up in place).
    function swap(el) {
      var key = current ? current.getAttribute("data-key") : null;
      var before = {};
      for (var j = 0; j < slides.length; j += 1) {
        before[slides[j].getAttribute("data-key")] = slides[j].getAttribute("data-digest");
      }
      var all = el.querySelectorAll(".slide");
      for (var i = 0; i < all.length; i += 1) {
        all[i].hidden = !(key && all[i].getAttribute("data-key") === key && mode !== "night");
      }
      document.adoptNode(el);
      setEl.replaceWith(el);
      adopt(el);
      // A new or changed "Dziś" comes next (the one on screen shows it already).
      for (var k = 0; k < slides.length; k += 1) {
        var slideKey = slides[k].getAttribute("data-key");
        if (slides[k].getAttribute("data-kind") === "today" && slideKey !== key
            && before[slideKey] !== slides[k].getAttribute("data-digest")) {
          next.push(slides[k]);
        }
      }
      var now = Date.now();
      var wanted = wantedMode(now);
      showBanners(now);
      if (!current || wanted !== mode) { tick(); } else { fit(current); }
    }

    function restore() {
      if (!config.storageKey) { return; }
      var saved = parseJson(window.localStorage.getItem(config.storageKey), null);
      var el = saved && parseSet(saved.html);
      if (el) {
        lastGood = saved.at || lastGood;
        setEl.replaceWith(el);
        adopt(el);
        var all = el.querySelectorAll(".slide");
        for (var i = 0; i < all.length; i += 1) { all[i].hidden = true; }
        current = null;
      }
    }

    // --- what is valid now ------------------------------------------------------

    function expired(el, now) {
      var at = number(el, "data-expires");
      return at > 0 && at <= now;
    }

    function prune(now) {
      for (var i = 0; i < slides.length; i += 1) {
        if (slides[i].getAttribute("data-kind") !== "today") { continue; }
        var items = slides[i].querySelectorAll("li[data-expires]");
        for (var j = 0; j < items.length; j += 1) {
          if (expired(items[j], now)) { items[j].remove(); }
        }
      }
    }

    function valid(el, now) {
      if (expired(el, now)) { return false; }
      return el.getAttribute("data-kind") !== "today" || el.querySelector("li") !== null;
    }

    function activeNotices(now) {
      var list = [];
      for (var i = 0; i < notices.length; i += 1) {
        if (number(notices[i], "data-starts") <= now && !expired(notices[i], now)) { list.push(notices[i]); }
      }
      return list;
    }

    function nightAt(now) {
      for (var i = 0; i < nights.length; i += 1) {
        if (nights[i][0] <= now && now < nights[i][1]) { return nights[i]; }
      }
      return null;
    }

    function rotation(now) {
      var list = [];
      for (var i = 0; i < slides.length; i += 1) {
        if (valid(slides[i], now)) { list.push(slides[i]); }
      }
      return list;
    }

    function wantedMode(now) {
      if (nightAt(now)) { return "night"; }
      if (activeNotices(now).length) { return "notice"; }
      return rotation(now).length ? "rotation" : "fallback";
    }

    // The banner notices of this moment, above any slide; none at night.
    function showBanners(now) {
      var day = mode !== "night" && !nightAt(now);
      var changed = false;
      for (var i = 0; i < banners.length; i += 1) {
        var on = day && number(banners[i], "data-starts") <= now && !expired(banners[i], now);
        if (banners[i].hidden === on) { banners[i].hidden = !on; changed = true; }
      }
      if (changed && current) { fit(current); }  // the slide has less (or more) room now
    }

    // "jutro" becomes "dziś" after midnight, even without the server.
    function dayNumber(text) {
      var parts = text.split("-");
      return Date.UTC(Number(parts[0]), Number(parts[1]) - 1, Number(parts[2])) / DAY_MS;
    }

    function refreshCountdowns(now) {
      var today = dayFormat.format(now);
      if (today === countdownDay || !setEl) { return; }
      countdownDay = today;
      var labels = setEl.querySelectorAll("[data-day]");
      for (var i = 0; i < labels.length; i += 1) {
        var words = countdowns[String(dayNumber(labels[i].getAttribute("data-day")) - dayNumber(today))];
        if (words) { labels[i].textContent = words; }
      }
    }

    // --- showing ---------------------------------------------------------------------

    // A slide whose text does not fit is set tighter, step by step (kiosk.css fit-1, fit-2).
    function fit(el) {
      el.classList.remove("fit-1", "fit-2");
      if (el.scrollHeight <= el.clientHeight + 1) { return; }
      el.classList.add("fit-1");
      if (el.scrollHeight <= el.clientHeight + 1) { return; }
      el.classList.add("fit-2");
    }

    function show(el, index, total, newMode) {
      if (current && current !== el) { current.hidden = true; }
      night.hidden = true;
      root.classList.remove("is-night");
      el.hidden = false;
      current = el;
      mode = newMode;
      position = index + 1;
      count = total;
      positionBox.hidden = newMode !== "rotation";
      positionValue.textContent = position + "/" + count;
      showBanners(Date.now());
      fit(el);
    }

    function showNight(stretch) {
      if (current) { current.hidden = true; }
      current = null;
      mode = "night";
      position = 0;
      count = 0;
      positionBox.hidden = true;
      if (nightText.textContent !== stretch[2]) { nightText.textContent = stretch[2]; }
      root.classList.add("is-night");
      night.hidden = false;
      showBanners(Date.now());
    }

    function seconds(el) {
      var value = parseFloat(el.getAttribute("data-seconds"));
      return value > 0 ? value : 10;
    }

    // The first slide waiting to come next that is still in the rotation.
    function nextWaiting(list) {
      while (next.length) {
        var el = next.shift();
        if (list.indexOf(el) >= 0 && el !== current) { return el; }
      }
      return null;
    }

    // One step of the rotation: the next valid slide after the one shown
    // (a changed "Dziś" first). The night wins, then the full-screen notices.
    function tick() {
      window.clearTimeout(rotationTimer);
      var now = Date.now();
      prune(now);
      refreshCountdowns(now);
      var stretch = nightAt(now);
      if (stretch) {
        showNight(stretch);
        rotationTimer = window.setTimeout(tick, Math.max(1000, Math.min(30000, stretch[1] - now + 50)));
        return;
      }
      var list = activeNotices(now);
      var kind = "notice";
      if (!list.length) {
        list = rotation(now);
        kind = "rotation";
        if (!list.length) {
          list = fallback ? [fallback] : [];
          kind = "fallback";
        }
      }
      if (!list.length) {
        rotationTimer = window.setTimeout(tick, 10000);
        return;
      }
      var waiting = kind === "rotation" ? nextWaiting(list) : null;
      var index = waiting ? list.indexOf(waiting) : (list.indexOf(current) + 1) % list.length;
      show(list[index], index, list.length, kind);
      rotationTimer = window.setTimeout(tick, seconds(list[index]) * 1000);
    }

    // Keep the slide the server showed for its full time, then rotate.
    function start() {
      var now = Date.now();
      var wanted = wantedMode(now);
      if (current && wanted === "rotation" && valid(current, now)) {
        var list = rotation(now);
        var index = list.indexOf(current);
        show(current, index, list.length, "rotation");
        rotationTimer = window.setTimeout(tick, seconds(current) * 1000);
      } else {
        tick();
      }
    }

    // --- clock ---------------------------------------------------------------------------

    function clock() {
      var now = Date.now();
      var text = timeFormat.format(now);
      if (text !== clockText) {
        clockText = text;
        for (var i = 0; i < clocks.length; i += 1) { clocks[i].textContent = text; }
      }
      var minute = Math.floor(now / 60000);
      if (minute !== clockMinute) {
        clockMinute = minute;
        // The day under the clock, and the banners that start or end on the minute.
        var day = dayFormat.format(now);
        if (dateEl && dateEl.getAttribute("datetime") !== day) {
          dateEl.setAttribute("datetime", day);
          dateEl.textContent = dateFormat.format(now);
        }
        showBanners(now);
        if (mode === "night") {
          night.classList.remove("shift-" + shift);
          shift = (shift + 1) % 9;
          night.classList.add("shift-" + shift);
        }
      }
      clockTimer = window.setTimeout(clock, 1000 - (now % 1000) + 20);
    }

    // --- talking to the server ----------------------------------------------------------

    function request(url, options) {
      var controller = new AbortController();
      var timer = window.setTimeout(function () { controller.abort(); }, 10000);
      var settings = options || {};
      settings.signal = controller.signal;
      settings.cache = "no-store";
      settings.credentials = "same-origin";
      return window.fetch(url, settings).then(function (response) {
        window.clearTimeout(timer);
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response;
      }, function (error) {
        window.clearTimeout(timer);
        throw error;
      });
    }

    function setOffline(on) {
      if (on) {
        var text = config.offlineText.replace("{time}", timeFormat.format(lastGood));
        if (offline.textContent !== text) { offline.textContent = text; }
      }
      if (offline.hidden === on) { offline.hidden = !on; }
    }

    function fetchSet() {
      return request(config.slidesUrl).then(function (response) {
        return response.text();
      }).then(function (html) {
        var el = parseSet(html);
        if (!el) { throw new Error("not a slide set"); }
        swap(el);
        store(html);
      });
    }

    // The check: a screen reports what it shows (heartbeat) and gets the
    // version marker back; the staff preview only asks for the marker.
    function ask() {
      if (!config.heartbeatUrl) { return request(config.versionUrl); }
      var body = JSON.stringify({
        key: mode === "night" ? "night" : (current ? current.getAttribute("data-key") : null),
        pos: position, count: count, v: version || null, data_at: Math.round(lastGood)
      });
      return request(config.heartbeatUrl, {method: "POST", body: body, headers: {"Content-Type": "application/json"}});
    }

    function nightlyRefreshDue(now) {
      return now - loadedAt > 20 * 3600 * 1000 && hourFormat.format(now) === "03";
    }

    function check() {
      window.clearTimeout(checkTimer);
      if (busy || stopped) { return inflight || Promise.resolve(); }
      busy = true;
      inflight = ask().then(function (response) {
        return response.json();
      }).then(function (body) {
        failures = 0;
        lastGood = Date.now();
        setOffline(false);
        if ((body.code && body.code !== config.code) || nightlyRefreshDue(lastGood)) {
          return renew().then(function (renewed) {
            // Not renewed: this copy goes on, with the new slides if any.
            if (!renewed && body.v !== version) { return fetchSet(); }
            return null;
          });
        }
        if (body.v !== version) { return fetchSet(); }
        return null;
      }).catch(function () {
        failures += 1;
        if (failures >= 2) { setOffline(true); }
      }).then(function () {
        busy = false;
        inflight = null;
        if (!stopped) { checkTimer = window.setTimeout(check, config.checkMs); }
      });
      return inflight;
    }

    // --- renewing the page in place -------------------------------------------------------

    function absolute(url) {
      return new URL(url, document.baseURI).href;
    }

    // A load that settles within the same 10 s as a request, so a server that
    // accepts and never answers cannot hold the checks up.
    function loaded(el, ok) {
      return new Promise(function (resolve, reject) {
        var timer = window.setTimeout(function () { reject(new Error("timeout")); }, 10000);
        el.onload = function () {
          window.clearTimeout(timer);
          if (ok()) { resolve(); } else { reject(new Error("incomplete " + el.tagName)); }
        };
        el.onerror = function () {
          window.clearTimeout(timer);
          reject(new Error("failed " + el.tagName));
        };
        document.head.appendChild(el);
      });
    }

    // The fetched page, if it arrived whole: the screen with a slide set, the
    // end marker the template closes with, one script.
    function wholePage(doc) {
      var set = doc.getElementById("kiosk-set");
      var scripts = doc.querySelectorAll("script[src]");
      if (!doc.getElementById("kiosk") || !set || !set.getAttribute("data-v") || !doc.getElementById("kiosk-end")
          || scripts.length !== 1) {
        return null;
      }
      return {styles: Array.prototype.slice.call(doc.querySelectorAll('link[rel~="stylesheet"]')), script: scripts[0]};
    }

    // A stylesheet of the new page, loaded with media="print" (so it does not
    // apply to the old page yet) unless the running page has it already.
    function loadStyle(link, added) {
      var href = absolute(link.getAttribute("href"));
      var media = link.getAttribute("media");
      var have = document.querySelectorAll('link[rel~="stylesheet"]');
      for (var i = 0; i < have.length; i += 1) {
        if (have[i].href === href && added.indexOf(have[i]) < 0) {
          return Promise.resolve({el: have[i], media: media});
        }
      }
      var el = document.createElement("link");
      el.rel = "stylesheet";
      el.media = "print";
      el.href = href;
      added.push(el);
      return loaded(el, function () {
        try { return el.sheet.cssRules.length > 0; } catch (error) { return false; }
      }).then(function () {
        return {el: el, media: media};
      });
    }

    // The new page's code: this copy when the script is the same, otherwise
    // the new script, run now but started only after the swap (data-handover).
    // It ran to its end when it left its start function on the element.
    function loadCode(parsed, added) {
      var src = absolute(parsed.getAttribute("src"));
      if (script && script.src === src) { return Promise.resolve({el: script, start: boot}); }
      var el = document.createElement("script");
      el.setAttribute("data-handover", "");
      el.src = src;
      added.push(el);
      return loaded(el, function () {
        return typeof el.kioskBoot === "function";
      }).then(function () {
        return {el: el, start: el.kioskBoot};
      });
    }

    function stop() {
      stopped = true;
      window.clearTimeout(rotationTimer);
      window.clearTimeout(checkTimer);
      window.clearTimeout(clockTimer);
    }

    // One step, nothing painted in between: the new stylesheets apply, the
    // old ones and the old script element go, the new body takes over.
    function put(doc, styles, code) {
      var keep = [code.el];
      for (var i = 0; i < styles.length; i += 1) {
        keep.push(styles[i].el);
        if (styles[i].media) { styles[i].el.media = styles[i].media; } else { styles[i].el.removeAttribute("media"); }
      }
      var old = document.head.querySelectorAll('link[rel~="stylesheet"], script[src]');
      for (var j = 0; j < old.length; j += 1) {
        if (keep.indexOf(old[j]) < 0) { old[j].remove(); }
      }
      document.title = doc.title;
      document.documentElement.lang = doc.documentElement.lang;
      document.body.replaceWith(document.adoptNode(doc.body));
    }

    // Resolves true once the new page runs, false when this copy goes on.
    function renew() {
      var added = [];
      var doc = null;
      var styles = null;
      return request(window.location.href).then(function (response) {
        return response.text();
      }).then(function (html) {
        doc = new DOMParser().parseFromString(html, "text/html");
        var page = wholePage(doc);
        if (!page) { throw new Error("not a whole kiosk page"); }
        return Promise.all(page.styles.map(function (link) {
          return loadStyle(link, added);
        })).then(function (loadedStyles) {
          styles = loadedStyles;
          return loadCode(page.script, added);
        });
      }).then(function (code) {
        stop();
        put(doc, styles, code);
        code.start();
        return true;
      }, function () {
        for (var i = 0; i < added.length; i += 1) { added[i].remove(); }
        return false;
      });
    }

    // --- start -------------------------------------------------------------------------------

    adopt(document.getElementById("kiosk-set"));
    if (version) {
      store(setEl.outerHTML);
    } else {
      restore();  // the page came without data (database away): the set kept from before
    }
    start();
    clock();
    checkTimer = window.setTimeout(check, version ? config.checkMs : 1000);

    if (root.hasAttribute("data-test-hooks")) {
      // Tests only (KIOSK_TEST_HOOKS): step the real rotation without waiting.
      window.__kiosk = {
        advance: function () { tick(); return current ? current.getAttribute("data-key") : mode; },
        check: check,
        idle: function () { return inflight || Promise.resolve(); },
        state: function () {
          return {mode: mode, key: current ? current.getAttribute("data-key") : null, position: position,
            count: count, version: version, failures: failures, offline: !offline.hidden, code: config.code};
        }
      };
    }
  }

  if (script && script.hasAttribute("data-handover")) {
    script.kioskBoot = boot;
    return;
  }
  boot();
}());
