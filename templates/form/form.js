// The cycleaudit form: builds the questions from the embedded rubric data, keeps the
// answers in localStorage, writes the questionnaire YAML and reads it back.
"use strict";
(function () {
  var DATA = JSON.parse(document.getElementById("rubric-data").textContent);
  var KEY = "cycleaudit-form:" + DATA.rubric;
  var WORDS = {};
  document.getElementById("words").content.querySelectorAll("span").forEach(function (s) {
    WORDS[s.dataset.key] = s.textContent;
  });
  function word(key, values) {
    return WORDS[key].replace(/\{(\w+)\}/g, function (_, name) { return String(values[name]); });
  }
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }
  var form = document.getElementById("form");

  function fieldInput(section, f) {
    var id = section + "-" + f.key;
    if (f.choices.length) {
      var set = el("fieldset", {"class": "question"});
      set.appendChild(el("legend", {}, f.description || f.key));
      var type = f.many ? "checkbox" : "radio";
      (f.many ? f.choices : [""].concat(f.choices)).forEach(function (c, i) {
        var label = el("label", {"class": "choice"});
        var input = el("input", {type: type, name: id, value: c, id: id + "-" + i});
        label.appendChild(input);
        label.appendChild(document.createTextNode(c || word("unset", {})));
        set.appendChild(label);
      });
      return set;
    }
    var p = el("p");
    p.appendChild(el("label", {"for": id}, (f.description || f.key)));
    var attrs = {id: id, name: id};
    if (f.numeric) attrs.inputmode = "decimal";
    if (f.example) attrs.placeholder = "e.g. " + f.example;
    p.appendChild(el("input", attrs));
    return p;
  }
  DATA.profile.forEach(function (f) { document.getElementById("profile").appendChild(fieldInput("profile", f)); });
  DATA.metrics.forEach(function (f) { document.getElementById("metrics").appendChild(fieldInput("metrics", f)); });

  var stagesNode = document.getElementById("stages");
  DATA.stages.forEach(function (stage) {
    var set = el("fieldset", {"class": "section", id: "stage-" + stage.id});
    var legend = el("legend"); legend.appendChild(el("h2", {}, stage.title)); set.appendChild(legend);
    set.appendChild(el("p", {"class": "hint"}, stage.summary));
    set.appendChild(el("p", {"class": "hint ruled-out", "aria-live": "polite"}));
    stage.tactics.forEach(function (t) {
      var q = el("fieldset", {"class": "question", id: "q-" + t.id, "data-tactic": t.id});
      var lg = el("legend"); lg.appendChild(el("strong", {}, t.title + ". "));
      lg.appendChild(document.createTextNode(t.question + " "));
      lg.appendChild(el("span", {"class": "id"}, t.id)); q.appendChild(lg);
      if (t.note) q.appendChild(el("p", {"class": "hint"}, t.note));
      var name = "level-" + t.id;
      DATA.levels.forEach(function (level) {
        var label = el("label", {"class": "choice"});
        label.appendChild(el("input", {type: "radio", name: name, value: level.id, id: name + "-" + level.id}));
        var span = el("span"); span.appendChild(el("strong", {}, level.id + ": "));
        span.appendChild(document.createTextNode(t.levels[level.id])); label.appendChild(span);
        q.appendChild(label);
      });
      var na = el("label", {"class": "choice"});
      na.appendChild(el("input", {type: "radio", name: name, value: "na", id: name + "-na"}));
      na.appendChild(document.createTextNode(word("na", {}))); q.appendChild(na);
      [["na", "na-reason", "input"], ["evidence", "evidence", "input"], ["note", "note", "textarea"]].forEach(function (spec) {
        var p = el("p", {"class": spec[0] === "na" ? "na-reason hidden" : ""});
        p.appendChild(el("label", {"for": spec[0] + "-" + t.id}, word(spec[1], {})));
        p.appendChild(el(spec[2], {id: spec[0] + "-" + t.id, name: spec[0] + "-" + t.id}));
        q.appendChild(p);
      });
      var details = el("details"); details.appendChild(el("summary", {}, word("advice", {})));
      details.appendChild(el("p", {}, t.advice)); q.appendChild(details);
      set.appendChild(q);
    });
    stagesNode.appendChild(set);
  });

  // ---- state <-> form
  function profileValue(f) {
    var id = "profile-" + f.key;
    if (f.choices.length) {
      var picked = Array.prototype.filter.call(form.querySelectorAll("input[name='" + id + "']"), function (i) { return i.checked && i.value; })
        .map(function (i) { return i.value; });
      return f.many ? (picked.length ? picked : undefined) : picked[0];
    }
    var v = document.getElementById(id).value.trim();
    return v === "" ? undefined : (f.numeric && isFinite(Number(v.replace(/,/g, ""))) ? Number(v.replace(/,/g, "")) : v);
  }
  function collect() {
    var s = {name: document.getElementById("org-name").value, audited: document.getElementById("org-audited").value,
             profile: {}, metrics: {}, answers: {}};
    DATA.profile.forEach(function (f) { var v = profileValue(f); if (v !== undefined) s.profile[f.key] = v; });
    DATA.metrics.forEach(function (f) {
      var v = document.getElementById("metrics-" + f.key).value.trim();
      if (v !== "") s.metrics[f.key] = v;
    });
    DATA.stages.forEach(function (stage) { stage.tactics.forEach(function (t) {
      var checked = form.querySelector("input[name='level-" + t.id + "']:checked");
      var a = {};
      if (checked) { if (checked.value === "na") a.na = document.getElementById("na-" + t.id).value; else a.level = checked.value; }
      var ev = document.getElementById("evidence-" + t.id).value, note = document.getElementById("note-" + t.id).value;
      if (ev) a.evidence = ev; if (note) a.note = note;
      if (Object.keys(a).length) s.answers[t.id] = a;
    }); });
    return s;
  }
  function apply(s) {
    form.reset();
    document.getElementById("org-name").value = s.name || "";
    document.getElementById("org-audited").value = s.audited || DATA.today;
    DATA.profile.forEach(function (f) {
      var v = (s.profile || {})[f.key];
      if (f.choices.length) {
        var values = Array.isArray(v) ? v.map(String) : [v === undefined ? "" : String(v)];
        form.querySelectorAll("input[name='profile-" + f.key + "']").forEach(function (i) { i.checked = values.indexOf(i.value) >= 0; });
      } else document.getElementById("profile-" + f.key).value = v === undefined ? "" : String(v);
    });
    DATA.metrics.forEach(function (f) { var v = (s.metrics || {})[f.key]; document.getElementById("metrics-" + f.key).value = v === undefined ? "" : String(v); });
    Object.keys(s.answers || {}).forEach(function (id) {
      var a = s.answers[id], base = "level-" + id;
      if (!document.getElementById("q-" + id)) return;
      var radio = document.getElementById(base + "-" + (a.na !== undefined ? "na" : a.level));
      if (radio) radio.checked = true;
      document.getElementById("na-" + id).value = a.na || "";
      document.getElementById("evidence-" + id).value = a.evidence || "";
      document.getElementById("note-" + id).value = a.note || "";
    });
    refresh();
  }
  function ruledOut(t, profile) {
    if (!t.rule) return false;
    var key = t.rule.keys.map(function (k) {
      var v = profile[k];
      if (Array.isArray(v)) {  // in choice order, as the page lists them
        var f = DATA.profile.filter(function (x) { return x.key === k; })[0];
        return f.choices.filter(function (c) { return v.indexOf(c) >= 0; }).join("+");
      }
      return v === undefined ? "" : String(v);
    }).join("|");
    return t.rule.out.indexOf(key) >= 0;
  }
  function refresh() {
    var s = collect(), total = 0, done = 0;
    DATA.stages.forEach(function (stage) {
      var hidden = 0;
      stage.tactics.forEach(function (t) {
        var q = document.getElementById("q-" + t.id), out = ruledOut(t, s.profile);
        q.classList.toggle("hidden", out); q.disabled = out;
        var na = form.querySelector("#level-" + t.id + "-na").checked;
        q.querySelector(".na-reason").classList.toggle("hidden", !na);
        document.getElementById("na-" + t.id).required = na;
        if (out) { hidden++; return; }
        total++; var a = s.answers[t.id]; if (a && (a.level || a.na)) done++;
      });
      document.querySelector("#stage-" + stage.id + " .ruled-out").textContent = hidden ? word("ruled-out", {n: hidden}) : "";
    });
    var pct = total ? Math.round(100 * done / total) : 0;
    document.getElementById("progress-bar").style.width = pct + "%";
    document.getElementById("progress").setAttribute("aria-valuenow", String(pct));
    document.getElementById("progress-text").textContent = word("progress", {done: done, total: total});
    try { localStorage.setItem(KEY, JSON.stringify(s)); } catch (e) { /* private mode: no autosave */ }
    return s;
  }
  form.addEventListener("input", refresh);
  form.addEventListener("change", refresh);

  // ---- YAML out: every string double-quoted, escaped so YAML reads back the same text
  function q(text) {
    return JSON.stringify(String(text)).replace(/[\u007f-\u009f\u2028\u2029\ufeff\ufff0-\ufffe]/g, function (c) {
      return "\\u" + ("000" + c.charCodeAt(0).toString(16)).slice(-4);
    });
  }
  function toYaml(s) {
    var out = ["# cycleaudit questionnaire, written by the cycleaudit form", "cycleaudit: 1", "rubric: " + q(DATA.rubric),
               "organisation:", "  name: " + q(s.name.trim()), "  audited: " + q(s.audited || DATA.today)];
    [["profile", DATA.profile], ["metrics", DATA.metrics]].forEach(function (pair) {
      var values = s[pair[0]], keys = pair[1].map(function (f) { return f.key; }).filter(function (k) { return values[k] !== undefined; });
      if (!keys.length) return;
      out.push("  " + pair[0] + ":");
      keys.forEach(function (k) {
        var v = values[k], f = pair[1].filter(function (x) { return x.key === k; })[0];
        if (Array.isArray(v)) out.push("    " + k + ": [" + v.map(q).join(", ") + "]");
        else if (f.numeric && typeof v !== "number" && isFinite(Number(String(v).replace(/,/g, ""))) && String(v).trim()) out.push("    " + k + ": " + Number(String(v).replace(/,/g, "")));
        else if (typeof v === "number") out.push("    " + k + ": " + v);
        else out.push("    " + k + ": " + q(v));
      });
    });
    out.push("answers:");
    DATA.stages.forEach(function (stage) {
      var lines = [];
      stage.tactics.forEach(function (t) {
        var a = s.answers[t.id]; if (!a || !(a.level || a.na) || ruledOut(t, s.profile)) return;
        var parts = [];
        ["level", "na", "evidence", "note"].forEach(function (k) { if (a[k]) parts.push(k + ": " + q(a[k])); });
        lines.push("    " + t.id + ": {" + parts.join(", ") + "}");
      });
      if (lines.length) out.push("  " + stage.id + ":"); out.push.apply(out, lines);
    });
    return out.join("\n") + "\n";
  }
  function say(text) { document.getElementById("message").textContent = text; }
  document.getElementById("download").addEventListener("click", function () {
    var s = refresh();
    if (!s.name.trim()) { say(word("need-name", {})); document.getElementById("org-name").focus(); return; }
    var bad = null;
    DATA.stages.forEach(function (st) { st.tactics.forEach(function (t) {
      var a = s.answers[t.id]; if (!bad && a && a.na !== undefined && a.na.trim().length < 3 && !ruledOut(t, s.profile)) bad = t; }); });
    if (bad) { say(word("need-reason", {title: bad.title})); document.getElementById("na-" + bad.id).focus(); return; }
    say("");
    var blob = new Blob([toYaml(s)], {type: "text/yaml;charset=utf-8"});
    var a = el("a", {href: URL.createObjectURL(blob), download: "questionnaire.yaml"});
    document.body.appendChild(a); a.click(); a.remove();
  });

  // ---- YAML in: the subset this form, `init` and `interview` write
  function scalar(text, line) {
    text = text.trim();
    if (text[0] === '"') return JSON.parse(text);
    if (text[0] === "'") return text.slice(1, -1).replace(/''/g, "'");
    if (text === "" || text === "null" || text === "~") return null;
    if (text[0] === "[") return flowList(text, line);
    if (text[0] === "{") return flowMap(text, line);
    if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return Number(text);
    if (/[:#"'{}\[\]]/.test(text)) throw new Error("line " + line);
    return text;
  }
  function splitFlow(body, line) {  // split on commas outside double quotes
    var parts = [], cur = "", inq = false;
    for (var i = 0; i < body.length; i++) {
      var c = body[i];
      if (inq && c === "\\") { cur += c + body[++i]; continue; }
      if (c === '"') inq = !inq;
      if (c === "," && !inq) { parts.push(cur); cur = ""; } else cur += c;
    }
    if (inq) throw new Error("line " + line);
    if (cur.trim()) parts.push(cur);
    return parts;
  }
  function flowList(text, line) {
    if (text[text.length - 1] !== "]") throw new Error("line " + line);
    return splitFlow(text.slice(1, -1), line).map(function (p) { return scalar(p, line); });
  }
  function flowMap(text, line) {
    if (text[text.length - 1] !== "}") throw new Error("line " + line);
    var m = {};
    splitFlow(text.slice(1, -1), line).forEach(function (p) {
      var at = p.indexOf(":"); if (at < 0) throw new Error("line " + line);
      m[p.slice(0, at).trim()] = scalar(p.slice(at + 1), line);
    });
    return m;
  }
  function stripComment(text) {
    var inq = false;
    for (var i = 0; i < text.length; i++) {
      var c = text[i];
      if (inq && c === "\\") { i++; continue; }
      if (c === '"') inq = !inq;
      if (c === "#" && !inq && (i === 0 || text[i - 1] === " ")) return text.slice(0, i);
    }
    return text;
  }
  function parseYaml(text) {
    var root = {}, stack = [{indent: -1, node: root}];
    text.replace(/\r\n?/g, "\n").split("\n").forEach(function (raw, n) {
      var line = stripComment(raw);
      if (!line.trim()) return;
      var indent = line.length - line.replace(/^ +/, "").length;
      var m = /^([A-Za-z0-9_$-]+|"[^"]*"):(?:\s+(.*))?$/.exec(line.trim());
      if (!m) throw new Error("line " + (n + 1));
      while (stack.length > 1 && stack[stack.length - 1].indent >= indent) stack.pop();
      var key = m[1][0] === '"' ? JSON.parse(m[1]) : m[1], parent = stack[stack.length - 1].node;
      if (m[2] === undefined || m[2].trim() === "") { parent[key] = {}; stack.push({indent: indent, node: parent[key]}); }
      else parent[key] = scalar(m[2], n + 1);
    });
    return root;
  }
  function fromYaml(text) {
    var d = parseYaml(text), org = d.organisation || {}, s = {name: org.name || "", audited: org.audited || "",
            profile: org.profile || {}, metrics: org.metrics || {}, answers: {}};
    Object.keys(d.answers || {}).forEach(function (stage) {
      var group = d.answers[stage] || {};
      Object.keys(group).forEach(function (id) {
        var a = group[id]; s.answers[id] = typeof a === "string" ? {level: a} : (a || {});
      });
    });
    return s;
  }
  document.getElementById("load").addEventListener("change", function (event) {
    var file = event.target.files[0]; if (!file) return;
    file.text().then(function (text) {
      var s;
      try { s = fromYaml(text); } catch (e) { say(word("unreadable", {why: e.message})); return; }
      apply(s); say(word("loaded", {file: file.name, n: Object.keys(s.answers).length}));
    });
  });
  document.getElementById("clear").addEventListener("click", function () {
    localStorage.removeItem(KEY); apply({answers: {}}); say("");
  });
  var saved = null;
  try { saved = JSON.parse(localStorage.getItem(KEY) || "null"); } catch (e) { saved = null; }
  apply(saved || {answers: {}});
  window.cycleauditForm = {toYaml: function () { return toYaml(refresh()); }};
})();
