// Live mode: mount Stripe's Payment Element on the review page and confirm the payment in the browser.
// Card data goes from Stripe's iframe to Stripe; this page never sees it. Configuration (publishable key,
// the PaymentIntent's client secret, the return URL and translated messages) comes from the
// <script type="application/json" id="payment-element-config"> element: no inline script (strict CSP).
// Outcome: Stripe redirects to the return URL, whose view re-reads the PaymentIntent on the server; after a
// decline this script goes there itself.
(function () {
  "use strict";
  var configNode = document.getElementById("payment-element-config");
  var form = document.querySelector("form[data-payment-element]");
  if (!configNode || !form) { return; }
  var config = JSON.parse(configNode.textContent);
  var status = document.getElementById("payment-status");
  var button = form.querySelector('button[type="submit"]');

  function say(message) {
    status.textContent = message || "";
    status.hidden = !message;
    if (message) { status.focus(); }
  }

  if (typeof window.Stripe !== "function") {
    // Stripe.js did not load (offline, blocked): say so instead of showing a form that cannot pay.
    say(config.messages.unavailable);
    return;
  }

  var stripe = window.Stripe(config.publishableKey, { locale: config.locale || "auto" });
  var elements = stripe.elements({ clientSecret: config.clientSecret });
  var paymentElement = elements.create("payment");
  paymentElement.on("ready", function () { button.hidden = false; });
  paymentElement.on("loaderror", function () { button.hidden = true; say(config.messages.unavailable); });
  paymentElement.mount("#payment-element");

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    button.disabled = true;
    say("");
    button.setAttribute("aria-busy", "true");
    // Keep the goals note first (same form, CSRF token included), then let Stripe confirm.
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "Accept": "application/json" }
    })
      .then(function (response) {
        return response.json().then(function (data) { return { ok: response.ok, data: data }; });
      })
      .then(function (saved) {
        if (!saved.ok) { throw new Error(saved.data.error || config.messages.failed); }
        return stripe.confirmPayment({ elements: elements, confirmParams: { return_url: config.returnUrl } });
      })
      .then(function (result) {
        // Only reached when Stripe did not redirect. Details the payer can still correct (a missing digit)
        // stay on this page; anything else, a declined card above all, releases the hold on the server, so
        // go to the return URL, whose view re-reads the payment and offers to hold the time again.
        if (!result || !result.error) { return; }
        if (result.error.type === "validation_error") { throw new Error(result.error.message || config.messages.failed); }
        window.location.assign(config.returnUrl);
      })
      .catch(function (error) {
        say((error && error.message) || config.messages.failed);
        button.disabled = false;
        button.removeAttribute("aria-busy");
      });
  });
})();
