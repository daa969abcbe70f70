// Routes (a GeoJSON LineString), as enhancements of pages that work without JavaScript:
// [data-route-map]    shows a route as a line (the page lists the same points);
// [data-route-editor] draws a route by clicking on the map, next to the textarea it names
//                     (data-route-editor="id"): one "lat, lon" a line, which stays the source
//                     of truth; the map writes each point there and reads back what is typed.
// Load basemap.js first.
(function () {
  "use strict";
  if (typeof L === "undefined") { return; }
  var LINE = { color: "#0b4f8a", weight: 4 };

  function baseMap(element, centre, zoom) {
    element.hidden = false;
    var map = L.map(element, { scrollWheelZoom: false }).setView(centre, zoom);
    TorgetBaseMap.add(map, element);
    return map;
  }

  function parse(text) {
    var points = [];
    text.split("\n").forEach(function (line) {
      var match = line.trim().match(/^(-?\d{1,3}(?:[.,]\d+)?)\s*[ ,;]\s*(-?\d{1,3}(?:[.,]\d+)?)$/);
      if (match) { points.push([parseFloat(match[1].replace(",", ".")), parseFloat(match[2].replace(",", "."))]); }
    });
    return points;
  }

  document.querySelectorAll("[data-route-map]").forEach(function (element) {
    var route = JSON.parse(element.dataset.route || "null");
    if (!route || !route.coordinates || route.coordinates.length < 2) { return; }
    var points = route.coordinates.map(function (c) { return [c[1], c[0]]; });
    var map = baseMap(element, points[0], 15);
    var line = L.polyline(points, LINE).addTo(map);
    L.circleMarker(points[0], { radius: 6, color: LINE.color, fillOpacity: 1 }).addTo(map);
    map.fitBounds(line.getBounds(), { padding: [20, 20] });
  });

  document.querySelectorAll("[data-route-editor]").forEach(function (editor) {
    var textarea = document.getElementById(editor.dataset.routeEditor);
    if (!textarea) { return; }
    var element = editor.querySelector("[data-route-editor-map]");
    var status = editor.querySelector("[data-route-status]");
    var field = textarea.closest(".field") || textarea;
    field.parentNode.insertBefore(editor, field.nextSibling);  // the map right below the field
    editor.hidden = false;
    var points = parse(textarea.value);
    var map = baseMap(element, points.length ? points[0] : [parseFloat(element.dataset.lat), parseFloat(element.dataset.lon)], points.length ? 15 : parseInt(element.dataset.zoom, 10));
    var line = L.polyline([], LINE).addTo(map);
    var markers = L.layerGroup().addTo(map);

    function draw(fit) {
      line.setLatLngs(points);
      markers.clearLayers();
      points.forEach(function (point, index) {
        L.circleMarker(point, { radius: index === 0 ? 6 : 4, color: LINE.color, fillOpacity: 1, interactive: false }).addTo(markers);
      });
      if (fit && points.length > 1) { map.fitBounds(line.getBounds(), { padding: [20, 20] }); }
      status.textContent = (status.dataset.template || "%s").replace("%s", String(points.length));
    }
    function write() {
      textarea.value = points.map(function (p) { return p[0].toFixed(6) + ", " + p[1].toFixed(6); }).join("\n");
      draw(false);
    }
    map.on("click", function (event) { points.push([event.latlng.lat, event.latlng.lng]); write(); });
    editor.querySelector("[data-route-undo]").addEventListener("click", function () { points.pop(); write(); });
    editor.querySelector("[data-route-clear]").addEventListener("click", function () { points = []; write(); });
    editor.querySelector("[data-route-add-centre]").addEventListener("click", function () {
      var centre = map.getCenter();
      points.push([centre.lat, centre.lng]);
      write();
    });
    textarea.addEventListener("change", function () { points = parse(textarea.value); draw(true); });
    draw(true);
  });
})();
