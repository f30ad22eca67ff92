// Destructive dashboard forms carry their question in data-confirm: the operator confirms before the POST leaves.
// A script file of its own, so the pages' Content-Security-Policy needs no 'unsafe-inline'.
document.addEventListener("submit", function (event) {
  var question = event.target.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});
