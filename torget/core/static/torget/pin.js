// Maps for fault reports, as enhancements of pages that work without JavaScript:
// [data-pin-map]   lets the citizen click to place a pin (fills the hidden lat/lon inputs;
//                  without JavaScript the address field describes the place instead);
// [data-point-map] shows one report's place;
// [data-fault-map] shows the public reports in view (the list below holds the same data);
//                  with data-outline, an area's outline too, and the map fitted to it.
(function () {
  "use strict";
  if (typeof L === "undefined") { return; }

  function baseMap(element, centre, zoom) {
    element.hidden = false;  // shown first, so Leaflet measures the real size
    var map = L.map(element, { scrollWheelZoom: false }).setView(centre, zoom);
    TorgetBaseMap.add(map, element);  // tiles, or the municipality's own areas (basemap.js)
    return map;
  }

  document.querySelectorAll("[data-pin-map]").forEach(function (element) {
    // [data-pin-scope] around a map with its own inputs (several places on one form, a
    // survey's place questions): the inputs are marked data-pin-lat / data-pin-lon.
    var form = element.closest("[data-pin-scope]") || element.closest("form");
    var lat = form.querySelector("input[data-pin-lat]") || form.querySelector("input[name=lat]");
    var lon = form.querySelector("input[data-pin-lon]") || form.querySelector("input[name=lon]");
    var status = form.querySelector("[data-pin-status]");
    var centre = [parseFloat(element.dataset.lat), parseFloat(element.dataset.lon)];
    var zoom = parseInt(element.dataset.zoom, 10);
    if (lat.value && lon.value) { centre = [parseFloat(lat.value), parseFloat(lon.value)]; zoom = 16; }
    var map = baseMap(element, centre, zoom);
    var marker = null;
    function place(latlng) {
      if (marker) { marker.setLatLng(latlng); } else { marker = L.marker(latlng, { draggable: true }).addTo(map); marker.on("dragend", function () { place(marker.getLatLng()); }); }
      lat.value = latlng.lat.toFixed(6);
      lon.value = latlng.lng.toFixed(6);
      if (status) { status.textContent = (status.dataset.template || "%s").replace("%s", lat.value + ", " + lon.value); }
    }
    if (lat.value && lon.value) { place(L.latLng(parseFloat(lat.value), parseFloat(lon.value))); }
    map.on("click", function (event) { place(event.latlng); });
    var search = form.querySelector("[data-place-search]");
    if (search) { placeSearch(search, map, element, place); }
  });

  // [data-place-search] beside a pin map: the place is found by the name of a district or
  // locality (the municipality's own areas, which the base map draws too) and placed with
  // the keyboard: the pin goes to the middle of the place found, and "in the map's centre"
  // puts it where the arrow keys have moved the map.
  function placeSearch(search, map, element, place) {
    var input = search.querySelector("[data-place-search-input]");
    var status = search.querySelector("[data-place-search-status]");
    var results = search.querySelector("[data-place-search-results]");
    var base = {};
    try { base = JSON.parse(element.dataset.baseMap || "{}") || {}; } catch (error) { base = {}; }
    var areas = null;
    search.hidden = false;
    function areasLoaded() {
      if (areas) { return Promise.resolve(areas); }
      if (!base.geojson) { return Promise.resolve([]); }
      return fetch(base.geojson, { headers: { Accept: "application/geo+json" } })
        .then(function (response) { return response.json(); })
        .then(function (data) { areas = data.features || []; return areas; });
    }
    function choose(feature) {
      var bounds = L.geoJSON(feature).getBounds();
      map.fitBounds(bounds, { maxZoom: 16 });
      place(bounds.getCenter());
      results.textContent = "";
      status.textContent = feature.properties.name;
    }
    function find() {
      var query = input.value.trim().toLowerCase();
      if (!query) { return; }
      areasLoaded().then(function (features) {
        var found = features.filter(function (feature) {
          var name = (feature.properties.name || "").toLowerCase();
          return feature.properties.kind !== "kommun" && (name.indexOf(query) !== -1 || query.indexOf(name) !== -1);
        }).slice(0, 10);
        results.textContent = "";
        found.forEach(function (feature) {
          var item = document.createElement("li");
          var button = document.createElement("button");
          button.type = "button";
          button.className = "link-button";
          button.textContent = feature.properties.name;
          button.addEventListener("click", function () { choose(feature); });
          item.appendChild(button);
          results.appendChild(item);
        });
        status.textContent = found.length ? status.dataset.found : status.dataset.none;
        if (found.length === 1) { choose(found[0]); }
      });
    }
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); find(); }
    });
    search.querySelector("[data-place-search-button]").addEventListener("click", find);
    search.querySelector("[data-pin-centre]").addEventListener("click", function () { place(map.getCenter()); });
  }

  document.querySelectorAll("[data-point-map]").forEach(function (element) {
    var point = JSON.parse(element.dataset.point);
    if (!point) { return; }
    var latlng = [point.coordinates[1], point.coordinates[0]];
    var map = baseMap(element, latlng, parseInt(element.dataset.zoom, 10));
    L.marker(latlng).addTo(map);
  });

  document.querySelectorAll("[data-fault-map]").forEach(function (element) {
    var map = baseMap(element, [parseFloat(element.dataset.lat), parseFloat(element.dataset.lon)], parseInt(element.dataset.zoom, 10));
    var layer = L.layerGroup().addTo(map);
    var status = document.querySelector("[data-fault-map-status]");
    function load() {
      var b = map.getBounds();
      var bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (v) { return v.toFixed(5); }).join(",");
      fetch(element.dataset.geojson + "?bbox=" + bbox, { headers: { Accept: "application/geo+json" } })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          layer.clearLayers();
          data.features.forEach(function (feature) {
            var c = feature.geometry.coordinates;
            var link = document.createElement("a");
            link.href = feature.properties.url;
            link.textContent = feature.properties.category + " (" + feature.properties.status + ")";
            L.circleMarker([c[1], c[0]], { radius: 6, color: feature.properties.open ? "#b3261e" : "#2e7d32" })
              .bindPopup(link).addTo(layer);
          });
          if (status) { status.textContent = data.truncated ? element.dataset.zoomIn : ""; }
        });
    }
    map.on("moveend", load);
    if (element.dataset.outline) {
      // An area's page: its outline, and the map fitted to it (which loads the reports).
      fetch(element.dataset.outline, { headers: { Accept: "application/geo+json" } })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          var outline = L.geoJSON(data, { style: function () { return { color: "#0b4f8a", weight: 2, fillOpacity: 0.08 }; } }).addTo(map);
          if (outline.getBounds().isValid()) { map.fitBounds(outline.getBounds(), { padding: [10, 10] }); } else { load(); }
        })
        .catch(load);
    } else {
      load();
    }
  });
})();

// A fault category's extra questions: show only the chosen category's (without JavaScript
// every category's questions are shown, each under its own heading).
(function () {
  "use strict";
  var select = document.querySelector("select[name=category]");
  var groups = document.querySelectorAll("[data-category-questions]");
  if (!select || !groups.length) { return; }
  function update() {
    groups.forEach(function (group) { group.hidden = group.dataset.categoryQuestions !== select.value; });
  }
  select.addEventListener("change", update);
  update();
})();
