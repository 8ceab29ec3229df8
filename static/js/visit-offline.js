// The visit form survives a lost connection (progressive enhancement: the form works without this).
// While the nurse types, the form is kept in this browser's localStorage under the person's key,
// with the idempotency key the server put in the form. Submitting while offline keeps it and
// sends it when the connection is back; the server stores a visit with the same key once.
// The saved visit's page removes the draft, and a draft older than DRAFT_HOURS is thrown away
// unread, so health data does not stay on a shared device.
(function () {
  "use strict";
  var DRAFT_HOURS = 12;
  var form = document.getElementById("visit-form");
  var saved = document.getElementById("visit-saved");

  function storage() {
    try { return window.localStorage; } catch (e) { return null; }
  }

  function read(store, name) {
    var draft = null;
    try { draft = JSON.parse(store.getItem(name)); } catch (e) { draft = null; }
    if (!draft || !draft.fields || Date.now() - draft.at > DRAFT_HOURS * 3600 * 1000) {
      store.removeItem(name);
      return null;
    }
    return draft;
  }

  if (saved) {
    var store = storage();
    var draft = store && read(store, saved.dataset.draftKey);
    if (draft && draft.fields.idempotency_key === saved.dataset.idempotencyKey) {
      store.removeItem(saved.dataset.draftKey);
    }
    return;
  }
  if (!form || !storage()) { return; }
  var key = form.dataset.draftKey;
  var status = document.getElementById("offline-status");

  function say(message) {
    status.textContent = message;
    status.hidden = false;
  }

  function collect() {
    var data = {};
    new FormData(form).forEach(function (value, name) {
      if (name === "csrfmiddlewaretoken") { return; }
      if (name in data) { data[name] = [].concat(data[name], value); } else { data[name] = value; }
    });
    return data;
  }

  function restore(data) {
    Object.keys(data).forEach(function (name) {
      var values = [].concat(data[name]);
      form.querySelectorAll('[name="' + CSS.escape(name) + '"]').forEach(function (field) {
        if (field.type === "checkbox" || field.type === "radio") {
          field.checked = values.indexOf(field.value) !== -1;
        } else {
          field.value = values[0];
        }
        // A restored answer inside a collapsed instrument is shown, not hidden.
        var section = field.closest("details");
        if (section && (field.checked || (field.type !== "checkbox" && field.type !== "radio" && field.value))) {
          section.open = true;
        }
      });
    });
  }

  function keep() { storage().setItem(key, JSON.stringify({ at: Date.now(), fields: collect() })); }

  var draft = read(storage(), key);
  // A draft is restored only into a fresh form; a form the server sent back with errors is newer.
  if (draft && !document.querySelector("[role=alert]")) {
    restore(draft.fields);
    say(form.dataset.restoredMessage);
  }
  form.addEventListener("input", keep);
  form.addEventListener("change", keep);
  form.addEventListener("submit", function (event) {
    keep();
    if (!navigator.onLine) {
      event.preventDefault();
      say(form.dataset.offlineMessage);
    }
  });
  window.addEventListener("online", function () {
    if (storage().getItem(key) && status && !status.hidden) { form.submit(); }
  });
})();
