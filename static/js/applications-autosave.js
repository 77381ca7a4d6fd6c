/* Autosave for the application edit page (no framework).
 *
 * Two seconds after the last change the whole form is posted to the
 * autosave endpoint, which saves the draft on the server with the form's
 * lock_version. The answer carries the new lock_version and the round's
 * rules still unmet. A stale version (412) stops autosaving and says so;
 * an expired session is reported without losing the input. Without
 * scripts the "Save draft" button does the same through a normal post.
 */
(function () {
  "use strict";

  var form = document.getElementById("application-form");
  if (!form) { return; }
  var url = form.getAttribute("data-autosave-url");
  var statusLine = document.getElementById("autosave-status");
  var problemsBox = document.getElementById("problems");
  var problemsList = document.getElementById("problems-list");
  var total = document.getElementById("requested-total");
  var DELAY_MS = 2000;
  var timer = null;
  var inFlight = null;
  var dirty = false;
  var stopped = false;

  function message(name) { return form.getAttribute("data-msg-" + name) || ""; }

  function say(text, isError) {
    if (!statusLine) { return; }
    statusLine.textContent = text;
    statusLine.setAttribute("role", isError ? "alert" : "status");
    statusLine.classList.toggle("error", Boolean(isError));
    statusLine.classList.toggle("message", Boolean(isError));
    statusLine.classList.toggle("muted", !isError);
  }

  // Logging in again (e.g. in another tab) rotates the CSRF token; take the
  // current one from the cookie so that saving this page still works.
  function csrfToken() {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match && input) { input.value = decodeURIComponent(match[1]); }
    return input ? input.value : "";
  }

  function showProblems(problems) {
    if (!problemsBox || !problemsList) { return; }
    while (problemsList.firstChild) { problemsList.removeChild(problemsList.firstChild); }
    problems.forEach(function (p) {
      var li = document.createElement("li");
      li.textContent = p.message;
      li.setAttribute("data-field", p.field);
      li.setAttribute("data-code", p.code);
      problemsList.appendChild(li);
    });
    problemsBox.hidden = problems.length === 0;
  }

  function formatYen(amount) {
    var pattern = total ? total.getAttribute("data-pattern") : null;
    var digits = Number(amount).toLocaleString("en-US");
    return pattern ? pattern.replace("%(amount)s", digits) : digits;
  }

  function save() {
    if (stopped) { return Promise.resolve(false); }
    if (timer) { clearTimeout(timer); timer = null; }
    if (inFlight) { return inFlight.then(save); }
    dirty = false;
    say(message("saving"), false);
    var token = csrfToken();  // before the form data is read
    inFlight = fetch(url, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      redirect: "manual",
      headers: { "X-CSRFToken": token, "X-Requested-With": "XMLHttpRequest",
                 "Accept": "application/json" }
    }).then(function (response) {
      if (response.type === "opaqueredirect" || response.status === 401 || response.status === 403) {
        dirty = true;
        say(message("expired"), true);
        return false;
      }
      return response.json().then(function (body) {
        if (response.ok) {
          form.querySelector("input[name=lock_version]").value = body.lock_version;
          var at = new Date(body.saved_at);
          say(message("saved") + " " + at.toLocaleTimeString(), false);
          showProblems(body.problems || []);
          if (total) { total.textContent = formatYen(body.requested_yen); }
          return true;
        }
        if (response.status === 412) { stopped = true; }
        if (body.lock_version) {
          // Saved partly: the valid fields are stored under a new version.
          form.querySelector("input[name=lock_version]").value = body.lock_version;
          if (total) { total.textContent = formatYen(body.requested_yen); }
        }
        dirty = true;
        var details = [body.detail || ""];
        if (body.errors) {
          Object.keys(body.errors).forEach(function (key) {
            details = details.concat(body.errors[key]);
          });
        }
        say(message("failed") + " " + details.join(" "), true);
        return false;
      });
    }).catch(function () {
      dirty = true;
      say(message("offline"), true);
      return false;
    }).finally(function () { inFlight = null; });
    return inFlight;
  }

  function changed() {
    dirty = true;
    if (stopped) { return; }
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(save, DELAY_MS);
  }

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", function () {
    // The normal post saves too; no autosave may race it.
    csrfToken();
    stopped = true;
    dirty = false;
    if (timer) { clearTimeout(timer); }
  });

  // Rows: the hidden "Add a row" buttons work only with scripts.
  Array.prototype.forEach.call(form.querySelectorAll("[data-add-row]"), function (button) {
    var prefix = button.getAttribute("data-add-row");
    var template = form.querySelector("template[data-empty-row='" + prefix + "']");
    var body = form.querySelector("tbody[data-rows='" + prefix + "']");
    var count = form.querySelector("input[name='" + prefix + "-TOTAL_FORMS']");
    if (!template || !body || !count) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      var index = Number(count.value);
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      var holder = document.createElement("tbody");
      holder.innerHTML = html;
      var row = holder.querySelector("tr");
      body.appendChild(row);
      count.value = String(index + 1);
      var first = row.querySelector("input, select, textarea");
      if (first) { first.focus(); }
    });
  });

  // Uploading leaves the page: save typed text first.
  var uploadForm = document.getElementById("attachment-form");
  if (uploadForm) {
    uploadForm.addEventListener("submit", function (event) {
      if (!dirty || stopped) { return; }
      event.preventDefault();
      save().then(function () { uploadForm.submit(); });
    });
  }

  window.addEventListener("beforeunload", function (event) {
    if (dirty && !stopped) {
      save();
      event.preventDefault();
      event.returnValue = "";
    }
  });
}());
