// On a phone the menu is one line that scrolls sideways: bring the current page's entry into view.
(function () {
  var current = document.querySelector("header nav a[aria-current]");
  if (current && current.parentNode.scrollWidth > current.parentNode.clientWidth) {
    current.parentNode.scrollLeft = current.offsetLeft - current.parentNode.offsetLeft - 40;
  }
})();
