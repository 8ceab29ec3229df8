// Progressive enhancement: poll the progress and reload the page with the report when the job ends.
(function () {
  var status = document.getElementById("job-status");
  var bar = document.getElementById("job-progress");
  var waitingFor = document.getElementById("job-waiting-for");
  function poll() {
    fetch(status.dataset.url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        if (data.finished) { window.location.reload(); return; }
        bar.value = data.percent;
        bar.textContent = data.percent + " %";
        status.textContent = data.status_display + (data.message ? ": " + data.message : "") + " (" + data.percent + " %)";
        if (waitingFor) {
          waitingFor.hidden = !data.waiting_for_url;
          if (data.waiting_for_url) { waitingFor.querySelector("a").href = data.waiting_for_url; }
        }
        window.setTimeout(poll, 2000);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();
