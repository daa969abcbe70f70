// The officials' view of a map's input, as an enhancement of tables that hold the same data:
// [data-staff-map="clusters"] draws each cluster as a circle sized by its count;
// [data-staff-map="density"] shades each cell of the grid by its count. The points come
// from the page (json_script), counted on the server; the map's area is outlined.
(function () {
  "use strict";
  if (typeof L === "undefined") { return; }

  document.querySelectorAll("[data-staff-map]").forEach(function (element) {
    var source = document.getElementById(element.dataset.drawing);
    if (!source) { return; }
    var drawing = JSON.parse(source.textContent);
    element.hidden = false;
    var map = L.map(element, { scrollWheelZoom: false }).setView([59.3, 18.0], 12);
    TorgetBaseMap.add(map, element);
    var bounds = null;
    if (drawing.outline) {
      var outline = L.geoJSON(drawing.outline, { interactive: false, style: { color: "#1f4e79", weight: 2, fill: false } }).addTo(map);
      bounds = outline.getBounds();
    }
    var layer = L.featureGroup().addTo(map);
    if (element.dataset.staffMap === "clusters") {
      drawing.clusters.forEach(function (cell) {
        L.circleMarker([cell.lat, cell.lon], {
          radius: 6 + 4 * Math.sqrt(cell.count), color: "#1f4e79", weight: 2, fillColor: "#2f6fa8", fillOpacity: 0.5
        }).bindTooltip(String(cell.count) + (cell.top ? " · " + cell.top : "")).addTo(layer);
      });
    } else {
      var most = drawing.max || 1;
      drawing.density.forEach(function (cell) {
        L.rectangle(cell.bounds, {
          weight: 0, fillColor: "#8b1a1a", fillOpacity: 0.15 + 0.7 * cell.count / most
        }).bindTooltip(String(cell.count) + (cell.top ? " · " + cell.top : "")).addTo(layer);
      });
    }
    if (!bounds && layer.getLayers().length) { bounds = layer.getBounds(); }
    if (bounds && bounds.isValid()) { map.fitBounds(bounds, { padding: [10, 10] }); }
  });
}());

// [data-staff-point-map]: one point, line or area on a small map, with the map's area.
(function () {
  "use strict";
  if (typeof L === "undefined") { return; }
  document.querySelectorAll("[data-staff-point-map]").forEach(function (element) {
    var geometry = JSON.parse(document.getElementById("point-geometry").textContent);
    var outline = JSON.parse(document.getElementById("point-outline").textContent);
    element.hidden = false;
    var map = L.map(element, { scrollWheelZoom: false }).setView([59.3, 18.0], 14);
    TorgetBaseMap.add(map, element);
    if (outline) { L.geoJSON(outline, { interactive: false, style: { color: "#1f4e79", weight: 2, fill: false } }).addTo(map); }
    var drawn = L.geoJSON(geometry, { style: { color: "#8b1a1a", weight: 4 } }).addTo(map);
    var bounds = drawn.getBounds();
    if (bounds.isValid()) { map.fitBounds(bounds, { maxZoom: 17, padding: [30, 30] }); }
  });
}());
