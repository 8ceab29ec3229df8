// The staff menu is open by default (it works without JavaScript); on a phone it
// starts folded so the page's own content comes first.
(function () {
  var menu = document.querySelector(".staff-menu");
  if (menu && window.matchMedia("(max-width: 48rem)").matches) {
    menu.open = false;
  }
})();
