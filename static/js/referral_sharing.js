// The referral form: ticking a service ticks, in "What the partner sees", the fields that
// service usually needs (each service checkbox names them in data-shares). Once the caseworker
// changes those boxes herself, they are hers: the services stop touching them.
(function () {
  "use strict";
  const services = Array.from(document.querySelectorAll("input[data-shares]"));
  const shared = Array.from(document.querySelectorAll('input[name="shared_fields"]'));
  if (!services.length || !shared.length) {
    return;
  }
  let chosenByHand = shared.some(function (box) { return box.checked; });

  function suggest() {
    if (chosenByHand) {
      return;
    }
    const wanted = new Set();
    services.forEach(function (service) {
      if (service.checked) {
        service.dataset.shares.split(" ").filter(Boolean).forEach(function (name) {
          wanted.add(name);
        });
      }
    });
    shared.forEach(function (box) { box.checked = wanted.has(box.value); });
  }

  services.forEach(function (service) { service.addEventListener("change", suggest); });
  shared.forEach(function (box) {
    box.addEventListener("change", function () { chosenByHand = true; });
  });
})();
