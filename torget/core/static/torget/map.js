// Draws the areas of a page on a Leaflet map. The page already lists the same areas as links,
// so the map is an enhancement: without JavaScript nothing is lost.
(function () {
  "use strict";
  if (typeof L === "undefined") { return; }
  document.querySelectorAll("[data-area-map]").forEach(function (element) {
    var centre = [parseFloat(element.dataset.lat), parseFloat(element.dataset.lon)];
    var map = L.map(element, { scrollWheelZoom: false }).setView(centre, parseInt(element.dataset.zoom, 10));
    TorgetBaseMap.add(map, element);  // tiles, or the municipality's own areas (basemap.js)
    element.hidden = false;
    fetch(element.dataset.geojson, { headers: { Accept: "application/geo+json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        var layer = L.geoJSON(data, {
          style: function () { return { color: "#0b4f8a", weight: 2, fillOpacity: 0.12 }; },
          onEachFeature: function (feature, featureLayer) {
            var link = document.createElement("a");
            link.href = feature.properties.url;
            link.textContent = feature.properties.name;
            featureLayer.bindPopup(link);
            featureLayer.bindTooltip(feature.properties.name);
          }
        }).addTo(map);
        if (layer.getBounds().isValid()) { map.fitBounds(layer.getBounds(), { padding: [10, 10] }); }
      });
  });
})();
