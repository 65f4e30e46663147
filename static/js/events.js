// Event form: refuse an image over the size limit before it is sent (the
// server refuses it too, with the same message; this saves the upload).
(function () {
  "use strict";
  function check(input) {
    var limit = parseInt(input.getAttribute("data-max-bytes"), 10);
    var file = input.files && input.files[0];
    if (file && limit && file.size > limit) {
      input.setCustomValidity(input.getAttribute("data-too-big") || "");
      input.reportValidity();
    } else {
      input.setCustomValidity("");
    }
  }
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (input.matches && input.matches("input[type=file][data-max-bytes]")) {
      check(input);
    }
  });
  document.addEventListener("submit", function (event) {
    var input = event.target.querySelector && event.target.querySelector("input[type=file][data-max-bytes]");
    if (input) {
      check(input);
      if (!input.checkValidity()) {
        event.preventDefault();
      }
    }
  }, true);
})();
