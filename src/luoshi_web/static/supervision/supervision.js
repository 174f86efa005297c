// The overdue list: a "select all" box ticks every unit of its form.
document.addEventListener("change", function (event) {
  var box = event.target;
  if (!box.classList || !box.classList.contains("check-all")) return;
  var form = box.closest("form");
  if (!form) return;
  form.querySelectorAll('input[type=checkbox][name=items]').forEach(function (item) {
    item.checked = box.checked;
  });
});
