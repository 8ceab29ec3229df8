// The running total of a screening (SPPB ...) and the protocol's stop rule, as you type.
// Progressive enhancement: the server scores the visit again when it is saved
// (trappa/assessments/instruments/engine.py); this mirrors its rules from the data the
// page carries (assessments.views._live_scoring) and never blocks anything.
(function () {
  var form = document.getElementById("visit-form");
  if (!form) return;
  function format(text, values) {
    // The page's texts name their values in braces: "Points so far: {total} of {max}".
    return text.replace(/\{(\w+)\}/g, function (_, key) { return values[key]; });
  }
  function field(name) { return form.elements.namedItem(name); }
  function value(name) { var f = field(name); return f ? f.value.trim() : ""; }
  function number(text) { var n = parseFloat(text.replace(",", ".")); return isNaN(n) ? null : n; }
  function pointsOf(item, state) {
    if (value(item.code)) return { points: 0, answered: true, answer: "code" };
    if (item.kind === "measure") {
      var values = item.fields.map(function (name) { return number(value(name)); }).filter(function (n) { return n !== null; });
      if (!values.length) return { points: null, answered: false };
      var best = Math.min.apply(null, values);
      var band = item.bands.find(function (b) { return best >= b[0] && best <= b[1]; });
      return { points: band ? band[2] : null, answered: true, answer: best };
    }
    var answer = value(item.fields[0]);
    if (!answer) return { points: null, answered: false };
    if (item.kind === "yes_no") return { points: answer === "yes" ? item.yes : item.no, answered: true, answer: answer === "yes" };
    return { points: item.options[answer] !== undefined ? item.options[answer] : null, answered: true, answer: answer };
  }
  function allowed(item, state) {
    var rule = item.requires;
    if (!rule) return true;
    var before = state[rule.item];
    if (!before || !before.answered) return null;
    if (rule.min_points !== null) return (before.points || 0) >= rule.min_points;
    return before.answer === rule.answer;
  }
  function update(output) {
    var data = JSON.parse(document.getElementById(output.dataset.scoring).textContent);
    var state = {}, total = 0, any = false, stops = [];
    var labels = {};
    data.items.forEach(function (item) { labels[item.id] = item.label; });
    data.items.forEach(function (item) {
      var due = allowed(item, state);
      if (due === false) {
        state[item.id] = { points: item.stopped, answered: true, answer: null };
        total += item.stopped;
        stops.push(format(output.dataset.stopText, { item: item.label, required: labels[item.requires.item], points: item.stopped }));
        return;
      }
      var scored = pointsOf(item, state);
      state[item.id] = scored;
      if (scored.answered) any = true;
      if (scored.points !== null && scored.points !== undefined) total += scored.points;
    });
    output.hidden = !any;
    output.textContent = format(output.dataset.totalText, { total: total, max: data.max }) + (stops.length ? " " + stops.join(" ") : "");
  }
  var outputs = Array.prototype.slice.call(form.querySelectorAll(".running-total"));
  function all() { outputs.forEach(update); }
  form.addEventListener("input", all);
  form.addEventListener("change", all);
  all();
})();
