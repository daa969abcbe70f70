// The dialogue map, as an enhancement of pages that work without JavaScript:
// [data-mapinput-map]  the published points (GeoJSON from data-geojson) and the map's area;
//                      the list page holds the same content.
// [data-mapinput-draw] on the placing form: a click places a point; in line or area mode each
//                      click adds a corner; "in the map's centre" places a point with the
//                      keyboard (the arrow keys move the map). Fills the hidden `geometry`
//                      input with GeoJSON; without it the list of places is used.
// [data-mapinput-show] one point, line or area (data-geometry).
// Load after leaflet.js and basemap.js.
(function () {
  "use strict";
  if (typeof L === "undefined") { return; }
  var AREA_STYLE = { color: "#0b4f8a", weight: 2, fillOpacity: 0.06, interactive: false };
  var SHAPE_STYLE = { color: "#b3261e", weight: 4 };

  function baseMap(element) {
    element.hidden = false;
    var centre = [parseFloat(element.dataset.lat) || 59.3, parseFloat(element.dataset.lon) || 18.0];
    var map = L.map(element, { scrollWheelZoom: false }).setView(centre, parseInt(element.dataset.zoom, 10) || 13);
    TorgetBaseMap.add(map, element);
    var area = null;
    try { area = JSON.parse(element.dataset.area || "null"); } catch (error) { area = null; }
    if (area) {
      var outline = L.geoJSON(area, { style: function () { return AREA_STYLE; } }).addTo(map);
      if (outline.getBounds().isValid()) { map.fitBounds(outline.getBounds(), { padding: [10, 10] }); }
    }
    return map;
  }

  document.querySelectorAll("[data-mapinput-map]").forEach(function (element) {
    var map = baseMap(element);
    fetch(element.dataset.geojson, { headers: { Accept: "application/geo+json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        L.geoJSON(data, {
          style: function () { return SHAPE_STYLE; },
          pointToLayer: function (feature, latlng) {
            return L.circleMarker(latlng, { radius: 7, color: "#b3261e", fillOpacity: 0.7 });
          },
          onEachFeature: function (feature, layer) {
            var p = feature.properties;
            var box = document.createElement("div");
            var link = document.createElement("a");
            link.href = p.url;
            link.textContent = p.category;
            var text = document.createElement("p");
            text.textContent = p.comment.length > 140 ? p.comment.slice(0, 140) + "…" : p.comment;
            var counts = document.createElement("p");
            counts.textContent = (element.dataset.counts || "%a / %c").replace("%a", p.agree_count).replace("%c", p.comment_count);
            box.appendChild(link); box.appendChild(text); box.appendChild(counts);
            layer.bindPopup(box);
          }
        }).addTo(map);
      });
  });

  document.querySelectorAll("[data-mapinput-show]").forEach(function (element) {
    var map = baseMap(element);
    var geometry = JSON.parse(element.dataset.geometry);
    var layer = L.geoJSON(geometry, { style: function () { return SHAPE_STYLE; } }).addTo(map);
    map.fitBounds(layer.getBounds(), { maxZoom: 16, padding: [20, 20] });
  });

  document.querySelectorAll("[data-mapinput-draw]").forEach(function (element) {
    var form = element.closest("form");
    var input = form.querySelector("input[name=geometry]");
    var status = form.querySelector("[data-draw-status]");
    var tools = form.querySelector("[data-draw-tools]");
    var placeSelect = form.querySelector("select[name=place]");
    var places = {};
    try { places = JSON.parse(element.dataset.places || "{}"); } catch (error) { places = {}; }
    var map = baseMap(element);
    var mode = "point";
    var vertices = [];
    var layer = null;
    if (tools) { tools.hidden = false; }

    function say(text) { if (status) { status.textContent = text; } }
    function geometry() {
      if (mode === "point" || vertices.length === 1) {
        return vertices.length ? { type: "Point", coordinates: vertices[0] } : null;
      }
      if (mode === "line") { return { type: "LineString", coordinates: vertices }; }
      if (vertices.length < 3) { return { type: "LineString", coordinates: vertices }; }
      return { type: "Polygon", coordinates: [vertices.concat([vertices[0]])] };
    }
    function redraw() {
      if (layer) { map.removeLayer(layer); layer = null; }
      var shape = geometry();
      if (!shape) { input.value = ""; return; }
      if (shape.type === "Point") {
        layer = L.marker([shape.coordinates[1], shape.coordinates[0]], { keyboard: false }).addTo(map);
      } else {
        layer = L.geoJSON(shape, { style: function () { return SHAPE_STYLE; } }).addTo(map);
      }
      input.value = JSON.stringify(shape);
      if (placeSelect && placeSelect.value) { placeSelect.value = ""; }
      var template = element.dataset["said" + shape.type] || "%s";
      say(template.replace("%s", String(vertices.length)));
    }
    function add(latlng) {
      var vertex = [Number(latlng.lng.toFixed(6)), Number(latlng.lat.toFixed(6))];
      if (mode === "point") { vertices = [vertex]; } else { vertices.push(vertex); }
      redraw();
    }
    if (input.value) {
      try {
        var existing = JSON.parse(input.value);
        if (existing.type === "Point") { vertices = [existing.coordinates]; }
        else if (existing.type === "LineString") { mode = "line"; vertices = existing.coordinates; }
        else if (existing.type === "Polygon") { mode = "area"; vertices = existing.coordinates[0].slice(0, -1); }
        redraw();
      } catch (error) { input.value = ""; }
    }
    map.on("click", function (event) { add(event.latlng); });
    form.querySelectorAll("input[name=draw-mode]").forEach(function (radio) {
      radio.checked = radio.value === mode;
      radio.addEventListener("change", function () { mode = radio.value; vertices = []; redraw(); say(""); });
    });
    var centre = form.querySelector("[data-draw-centre]");
    if (centre) { centre.addEventListener("click", function () { add(map.getCenter()); }); }
    var undo = form.querySelector("[data-draw-undo]");
    if (undo) { undo.addEventListener("click", function () { vertices.pop(); redraw(); }); }
    var clear = form.querySelector("[data-draw-clear]");
    if (clear) { clear.addEventListener("click", function () { vertices = []; redraw(); say(element.dataset.cleared || ""); }); }
    if (placeSelect) {
      placeSelect.addEventListener("change", function () {
        var at = places[placeSelect.value];
        if (!at) { return; }
        vertices = []; if (layer) { map.removeLayer(layer); layer = null; } input.value = "";
        map.setView([at[0], at[1]], 16);
        say((element.dataset.placeChosen || "%s").replace("%s", placeSelect.options[placeSelect.selectedIndex].text));
      });
    }
  });
})();
