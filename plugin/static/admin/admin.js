/* Encore admin: saves forms as JSON through /admin/api, live previews, embedded navigation.
   No framework; every page works read-only without it. */
(function () {
  "use strict";
  var body = document.body;
  var embedded = body.dataset.embedded === "1";
  var csrfMeta = document.querySelector('meta[name="csrf-token"]');

  function idToken() {
    if (embedded && window.shopify && window.shopify.idToken) return window.shopify.idToken();
    return Promise.resolve(null);
  }

  function api(method, url, payload) {
    return idToken().then(function (token) {
      var headers = { "Accept": "application/json" };
      if (payload !== undefined) headers["Content-Type"] = "application/json";
      if (token) headers["Authorization"] = "Bearer " + token;
      else if (csrfMeta) headers["X-CSRF-Token"] = csrfMeta.content;
      return fetch(url, {
        method: method, headers: headers, credentials: "same-origin",
        body: payload === undefined ? undefined : JSON.stringify(payload)
      }).then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          return { ok: response.ok, status: response.status, data: data };
        });
      });
    });
  }

  /* ---- reading a form into the settings JSON ------------------------------------------ */
  function valueOf(input) {
    var kind = input.dataset.type || "text";
    if (input.type === "checkbox") return input.checked;
    var raw = input.value.trim();
    if (kind === "int") return raw === "" ? null : Number(raw);
    if (kind === "percent") return raw === "" ? null : Math.round(Number(raw) * 100) / 10000;
    if (kind === "list") return raw === "" ? [] : raw.split(/[\s,]+/).filter(Boolean);
    return raw === "" ? null : raw;
  }

  function put(target, path, value) {
    var keys = path.split(".");
    var node = target;
    for (var i = 0; i < keys.length - 1; i++) {
      if (typeof node[keys[i]] !== "object" || node[keys[i]] === null) node[keys[i]] = {};
      node = node[keys[i]];
    }
    node[keys[keys.length - 1]] = value;
  }

  function collect(form) {
    var data = {};
    form.querySelectorAll("[data-key]").forEach(function (input) {
      if (input.closest("[data-pinned-row], template")) return;
      put(data, input.dataset.key, valueOf(input));
    });
    form.querySelectorAll("[data-null-unless]").forEach(function (box) {
      if (!box.checked) data[box.dataset.nullUnless] = null;
    });
    if (form.querySelector("[data-pinned-list]")) {
      data.pinned_offers = Array.prototype.map.call(
        form.querySelectorAll("[data-pinned-row]"), function (row) {
          var pin = {};
          row.querySelectorAll("[data-field]").forEach(function (input) {
            pin[input.dataset.field] = valueOf(input);
          });
          pin.surfaces = Array.prototype.filter.call(
            row.querySelectorAll("[data-surface]"), function (box) { return box.checked; }
          ).map(function (box) { return box.dataset.surface; });
          if (!pin.id) delete pin.id;
          if (pin.discount_percent === null) pin.discount_percent = 0;
          return pin;
        });
    }
    form.querySelectorAll("[data-template-for]").forEach(function (editor) {
      var milestone = editor.dataset.templateFor;
      var subject = editor.querySelector("[data-part=subject]");
      var text = editor.querySelector("[data-part=body]");
      var same = subject.value === subject.dataset.default && text.value === text.dataset.default;
      var empty = !subject.value.trim() && !text.value.trim();
      data.email_templates = data.email_templates || {};
      data.email_templates[milestone] = same || empty ? null
        : { subject: subject.value, body: text.value };
    });
    return data;
  }

  function showErrorsInto(form, fields, prefix) {
    Object.keys(fields).forEach(function (key) {
      var path = prefix ? prefix + "." + key : key;
      var value = fields[key];
      if (value && !Array.isArray(value) && typeof value === "object") {
        return showErrorsInto(form, value, path);
      }
      var text = Array.isArray(value) ? value.join(" ") : String(value);
      var slot = null;
      var parts = path.split(".");
      while (parts.length && !slot) {
        slot = form.querySelector('[data-error-for="' + parts.join(".") + '"]');
        parts.pop();
      }
      slot = slot || form.querySelector("[data-error-for=_form]");
      if (slot) slot.textContent = (slot.textContent ? slot.textContent + " " : "") + text;
    });
  }

  function setStatus(form, text, ok) {
    var status = form.querySelector("[data-status]");
    if (!status) return;
    status.textContent = text;
    status.className = "status " + (ok ? "saved" : "failed");
  }

  document.querySelectorAll("form[data-settings-form]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      setStatus(form, "Saving…", true);
      api("PATCH", form.dataset.settingsForm, collect(form)).then(function (result) {
        if (result.ok) {
          form.querySelectorAll(".field-error").forEach(function (el) { el.textContent = ""; });
          setStatus(form, "Saved.", true);
          form.dispatchEvent(new CustomEvent("encore:saved", { detail: result.data }));
        } else {
          var error = result.data.error || {};
          form.querySelectorAll(".field-error").forEach(function (el) { el.textContent = ""; });
          showErrorsInto(form, error.fields || {}, "");
          setStatus(form, error.message || "Not saved.", false);
        }
      });
    });
  });

  /* ---- pinned offers ------------------------------------------------------------------- */
  document.querySelectorAll("[data-add-pinned]").forEach(function (button) {
    button.addEventListener("click", function () {
      var list = document.querySelector("[data-pinned-list]");
      var template = document.getElementById("pinned-row-template");
      list.appendChild(template.content.cloneNode(true));
      var empty = document.querySelector("[data-pinned-empty]");
      if (empty) empty.hidden = true;
    });
  });
  document.addEventListener("click", function (event) {
    var remove = event.target.closest && event.target.closest("[data-remove-pinned]");
    if (remove) remove.closest("[data-pinned-row]").remove();
  });
  var productList = document.getElementById("store-products");
  var searchTimer = null;
  document.addEventListener("input", function (event) {
    var input = event.target;
    if (!productList || !input.matches || !input.matches("[list=store-products]")) return;
    var words = input.value.split(/[\s,]+/);
    var query = words[words.length - 1];
    if (query.length < 2) return;
    clearTimeout(searchTimer);
    searchTimer = setTimeout(function () {
      api("GET", productList.dataset.url + "?q=" + encodeURIComponent(query)).then(function (result) {
        if (!result.ok) return;
        productList.innerHTML = "";
        result.data.products.forEach(function (product) {
          var option = document.createElement("option");
          option.value = product.product_id;
          option.textContent = product.title;
          productList.appendChild(option);
        });
      });
    }, 250);
  });

  /* ---- live branding preview ----------------------------------------------------------- */
  var previewForm = document.querySelector("form[data-preview-url]");
  if (previewForm) {
    var timer = null;
    var refresh = function () {
      api("POST", previewForm.dataset.previewUrl, collect(previewForm)).then(function (result) {
        var state = document.querySelector("[data-preview-state]");
        if (!result.ok) {
          if (state) state.textContent = (result.data.error || {}).message || "Preview failed.";
          return;
        }
        if (state) state.textContent = "";
        document.querySelector("iframe[data-preview=block]").srcdoc = result.data.block_html;
        document.querySelector("iframe[data-preview=page]").srcdoc = result.data.tracking_page_html;
      });
    };
    previewForm.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(refresh, 250);
    });
  }

  /* ---- notification template preview and test sends ---------------------------------- */
  document.querySelectorAll("[data-template-for]").forEach(function (editor) {
    var milestone = editor.dataset.templateFor;
    var output = editor.querySelector("[data-template-output]");
    var button = editor.querySelector("[data-preview-template]");
    button.addEventListener("click", function () {
      var payload = {
        milestone: milestone,
        subject: editor.querySelector("[data-part=subject]").value,
        body: editor.querySelector("[data-part=body]").value
      };
      api("POST", button.dataset.url, payload).then(function (result) {
        var message = editor.querySelector("[data-template-message]");
        if (!result.ok) {
          var error = result.data.error || {};
          var fields = error.fields || {};
          message.textContent = [error.message].concat(
            Object.keys(fields).map(function (k) { return k + ": " + [].concat(fields[k]).join(" "); })
          ).join(" ");
          message.className = "status failed";
          return;
        }
        message.textContent = "Subject: " + result.data.subject;
        message.className = "status saved";
        output.hidden = false;
        output.srcdoc = result.data.html;
      });
    });
  });

  var testForm = document.querySelector("form[data-send-test]");
  if (testForm) {
    testForm.addEventListener("submit", function (event) {
      event.preventDefault();
      var payload = {
        channel: testForm.elements.channel.value,
        milestone: testForm.elements.milestone.value,
        recipient: testForm.elements.recipient.value
      };
      setStatus(testForm, "Sending…", true);
      api("POST", testForm.dataset.sendTest, payload).then(function (result) {
        if (result.ok) setStatus(testForm, "Sent to " + result.data.recipient + ".", true);
        else {
          var error = result.data.error || {};
          var fields = error.fields || {};
          var detail = Object.keys(fields).map(function (k) { return [].concat(fields[k]).join(" "); });
          setStatus(testForm, [error.message || "Not sent."].concat(detail).join(" "), false);
        }
      });
    });
  }

  /* ---- dead letters ------------------------------------------------------------------- */
  document.querySelectorAll("[data-replay]").forEach(function (button) {
    button.addEventListener("click", function () {
      var ids = button.dataset.replay === "all" ? null : [Number(button.dataset.replay)];
      button.disabled = true;
      api("POST", button.dataset.url, ids ? { ids: ids } : { all: true }).then(function (result) {
        var status = document.querySelector("[data-replay-status]");
        if (result.ok) {
          status.textContent = "Re-queued " + result.data.replayed + " event(s); the worker retries them now.";
          status.className = "status saved";
          setTimeout(function () { window.location.reload(); }, 900);
        } else {
          status.textContent = (result.data.error || {}).message || "Replay failed.";
          status.className = "status failed";
          button.disabled = false;
        }
      });
    });
  });

  /* ---- inside the Shopify admin: every navigation carries a fresh id token ------------ */
  function withToken(url) {
    return idToken().then(function (token) {
      var target = new URL(url, window.location.href);
      if (token) target.searchParams.set("id_token", token);
      return target.toString();
    });
  }
  if (embedded) {
    document.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest("a[href]");
      if (!link || link.origin !== window.location.origin || link.target) return;
      if (!link.pathname.startsWith("/admin")) return;
      event.preventDefault();
      withToken(link.href).then(function (url) { window.location.assign(url); });
    });
    document.querySelectorAll("form[method=get]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        var target = new URL(form.action, window.location.href);
        new FormData(form).forEach(function (value, key) { target.searchParams.set(key, value); });
        withToken(target.toString()).then(function (url) { window.location.assign(url); });
      });
    });
  }
  if (body.dataset.bounce === "1") {
    withToken(window.location.href).then(function (url) { window.location.replace(url); });
  }

  /* ---- the custom period fields show only for "custom" -------------------------------- */
  var periodSelect = document.querySelector("select[name=period]");
  if (periodSelect) {
    var toggle = function () {
      document.querySelectorAll("[data-custom-period]").forEach(function (el) {
        el.hidden = periodSelect.value !== "custom";
      });
    };
    periodSelect.addEventListener("change", toggle);
    toggle();
  }
})();
