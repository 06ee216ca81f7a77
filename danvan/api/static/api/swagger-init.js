/* Starts Swagger UI from the settings in #swagger-ui's data attribute: no inline script,
   so the page keeps the platform's Content Security Policy (script-src 'self'). */
"use strict";
(function () {
  const root = document.getElementById("swagger-ui");
  const config = JSON.parse(root.dataset.settings);
  const page = document.body.dataset;
  config.dom_id = "#swagger-ui";
  config.presets = [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset];
  if (page.apiCsrf && page.csrfToken) {
    config.requestInterceptor = function (request) {
      request.headers["X-CSRFToken"] = page.csrfToken;
      return request;
    };
  }
  window.ui = SwaggerUIBundle(config);
})();
