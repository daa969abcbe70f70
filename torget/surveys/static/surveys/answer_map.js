// The places a survey's respondents marked, as pins on the municipality's base map. The page
// lists the same places in a table, so the map is an enhancement: without JavaScript nothing
// is lost. Uses Leaflet and TorgetBaseMap (basemap.js) as the fault report maps do.
(function () {
  "use strict";
  if (typeof L === "undefined") { return; }
  document.querySelectorAll("[data-answer-map]").forEach(function (element) {
    element.hidden = false;
    var centre = [parseFloat(element.dataset.lat), parseFloat(element.dataset.lon)];
    var map = L.map(element, { scrollWheelZoom: false }).setView(centre, parseInt(element.dataset.zoom, 10));
    TorgetBaseMap.add(map, element);
    fetch(element.dataset.geojson, { headers: { Accept: "application/geo+json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        var layer = L.geoJSON(data, {
          pointToLayer: function (feature, latlng) {
            return L.circleMarker(latlng, { radius: 6, color: "#0b4f8a", weight: 2, fillOpacity: 0.5 })
              .bindTooltip(feature.properties.question);
          }
        }).addTo(map);
        if (layer.getBounds().isValid()) { map.fitBounds(layer.getBounds(), { padding: [20, 20], maxZoom: 16 }); }
      });
  });
})();
