// A filter box above a long list (the countries): typing narrows a <select> or a set of tick
// boxes to the entries whose name holds the text, ignoring case and diacritics. Without
// JavaScript the lists still work: the select as it is, the tick boxes in a box that scrolls.
(function () {
  "use strict";

  function folded(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function filterBox(label, controls) {
    var box = document.createElement("input");
    box.type = "search";
    box.className = "form-control form-control-sm mb-1 list-filter";
    box.setAttribute("aria-label", label);
    box.setAttribute("placeholder", label);
    box.setAttribute("aria-controls", controls);
    box.autocomplete = "off";
    return box;
  }

  function searchableSelect(select) {
    var box = filterBox(select.dataset.filterLabel || "Filter", select.id);
    select.parentNode.insertBefore(box, select);
    box.addEventListener("input", function () {
      var wanted = folded(box.value.trim());
      Array.prototype.forEach.call(select.options, function (option) {
        option.hidden = wanted !== "" && !option.selected && option.value !== "" &&
          folded(option.text).indexOf(wanted) === -1;
      });
    });
  }

  function searchableCheckboxes(name, inputs) {
    var first = inputs[0];
    var list = first.closest(".form-check").parentNode;
    list.classList.add("checkbox-list");
    if (!list.id) {
      list.id = "list-" + name;
    }
    var box = filterBox(first.dataset.filterLabel || "Filter", list.id);
    list.parentNode.insertBefore(box, list);
    box.addEventListener("input", function () {
      var wanted = folded(box.value.trim());
      inputs.forEach(function (input) {
        var label = input.closest(".form-check").textContent;
        input.closest(".form-check").hidden = wanted !== "" && !input.checked &&
          folded(label).indexOf(wanted) === -1;
      });
    });
  }

  document.querySelectorAll("select[data-searchable]").forEach(searchableSelect);
  var groups = {};
  document.querySelectorAll("input[type=checkbox][data-searchable]").forEach(function (input) {
    (groups[input.name] = groups[input.name] || []).push(input);
  });
  Object.keys(groups).forEach(function (name) {
    searchableCheckboxes(name, groups[name]);
  });
})();
