// The base layer of every map. With map tiles (MAP_TILE_URL) they are the base; without them a
// Leaflet map is an empty grey box, so the municipality's own areas are drawn instead: the
// outline of the municipality, each district and locality with its name, and the centre. That
// is enough to find a place by, and the map is usable as Torget ships.
//
// Each map element carries data-tile-url / data-tile-attribution and data-base-map, a JSON
// object {"geojson": url of the areas, "centre": [lat, lon], "name": the municipality's name,
// "attribution": whose outlines these are}. Load this file before map.js and pin.js.
window.TorgetBaseMap = (function () {
  "use strict";
  var DISTRICT_NAMES_ZOOM = 12;

  function outline(feature) {
    var whole = feature.properties.kind === "kommun";
    return {
      color: whole ? "#2b3a47" : "#5a6b7b",
      weight: whole ? 3 : 1.5,
      dashArray: whole ? null : "5 4",
      fill: whole,
      fillColor: "#ffffff",
      fillOpacity: whole ? 0.7 : 0
    };
  }

  function add(map, element) {
    if (element.dataset.tileUrl) {
      L.tileLayer(element.dataset.tileUrl, { maxZoom: 19, attribution: element.dataset.tileAttribution }).addTo(map);
      return;
    }
    var base = {};
    try { base = JSON.parse(element.dataset.baseMap || "{}") || {}; } catch (error) { base = {}; }
    element.classList.add("map--no-tiles");
    if (base.attribution) { map.attributionControl.addAttribution(base.attribution); }
    if (base.centre) {
      // Drawn below the areas' names and never in the way of a click (placing a pin).
      L.circleMarker(base.centre, { radius: 5, color: "#2b3a47", weight: 2, fillColor: "#2b3a47", fillOpacity: 1, interactive: false })
        .bindTooltip(base.name || "", { permanent: true, direction: "top", offset: [0, -6], className: "map-label map-label--centre" })
        .addTo(map);
    }
    if (!base.geojson) { return; }
    fetch(base.geojson, { headers: { Accept: "application/geo+json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        var layer = L.geoJSON(data, {
          interactive: false,
          style: outline,
          onEachFeature: function (feature, featureLayer) {
            var kind = feature.properties.kind;
            if (kind === "kommun") { return; }
            featureLayer.bindTooltip(feature.properties.name, { permanent: true, direction: "center", className: "map-label map-label--" + kind });
          }
        }).addTo(map);
        layer.bringToBack();
        // The town's districts lie close together: their names show from DISTRICT_NAMES_ZOOM
        // in, so that zoomed out the names don't cover one another.
        function overview() { element.classList.toggle("map--overview", map.getZoom() < DISTRICT_NAMES_ZOOM); }
        map.on("zoomend", overview);
        overview();
        element.dataset.baseMapDrawn = String(data.features.length);
      });
  }

  return { add: add };
})();
