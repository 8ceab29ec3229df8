// Wide tables scroll inside their own region instead of making the page scroll
// sideways on a phone. The region is named after the table's caption and can take
// focus, so keyboard users can scroll it too (WCAG 2.1.1, axe scrollable-region-focusable).
(function () {
  document.querySelectorAll("main table").forEach(function (table, index) {
    if (table.parentElement.classList.contains("table-scroll")) return;
    var region = document.createElement("div");
    region.className = "table-scroll";
    var caption = table.querySelector("caption");
    if (caption && caption.id === "") caption.id = "table-caption-" + index;
    if (caption) region.setAttribute("aria-labelledby", caption.id);
    else region.setAttribute("aria-label", document.documentElement.lang === "en" ? "Table" : "Tabell");
    table.parentNode.insertBefore(region, table);
    region.appendChild(table);
    // Only a region that actually scrolls is a region and a tab stop.
    if (region.scrollWidth > region.clientWidth) {
      region.setAttribute("role", "region");
      region.tabIndex = 0;
    } else {
      region.removeAttribute("aria-labelledby");
      region.removeAttribute("aria-label");
    }
  });
})();
