// Expand or collapse every branch of the organization tree.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-tree]");
  if (!button) return;
  var open = button.dataset.tree === "open";
  document.querySelectorAll(".xc-org-tree details").forEach(function (d) { d.open = open; });
});
