/* The map of a directory listing, drawn only when the visitor asks for it.
   Until the button is pressed nothing is fetched: not Leaflet (vendored, first party), not a single tile from
   OpenStreetMap. Without JavaScript the button stays hidden and the links to OpenStreetMap and to the phone's
   map app (geo:) remain. Written in ES5 for the old browsers of cheap phones. */
(function () {
  "use strict";
  var box = document.querySelector("[data-map]");
  if (!box || !box.addEventListener) {
    return;
  }
  var button = box.querySelector(".map__open");
  var note = box.querySelector(".map__note");
  var data = box.dataset;
  button.hidden = false;
  note.hidden = false;

  function load(element, done, failed) {
    element.onload = done;
    element.onerror = failed;
    document.head.appendChild(element);
  }

  function fail() {
    button.disabled = false;
    note.textContent = data.error;
    note.setAttribute("role", "alert");
  }

  function draw() {
    var lat = parseFloat(data.lat);
    var lon = parseFloat(data.lon);
    var canvas = document.createElement("div");
    canvas.className = "map__canvas";
    canvas.setAttribute("role", "region");
    canvas.setAttribute("aria-label", data.label);
    box.appendChild(canvas);
    var map = window.L.map(canvas, { scrollWheelZoom: false }).setView([lat, lon], 16);
    map.attributionControl.setPrefix('<a href="https://leafletjs.com/">Leaflet</a>');  // a plain credit, no flag
    window.L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
      maxZoom: 19,
      attribution: '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>'
    }).addTo(map);
    // A circle, not Leaflet's marker image: nothing more to fetch, and it keeps the brand colour.
    window.L.circleMarker([lat, lon], { radius: 11, color: "#0a4f6e", weight: 3, fillOpacity: 0.5 }).addTo(map);
    button.hidden = true;
    note.hidden = true;
    canvas.focus();
  }

  button.addEventListener("click", function () {
    button.disabled = true;
    var pending = 2;
    function ready() {
      pending -= 1;
      if (pending === 0) {
        draw();
      }
    }
    var css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = data.css;
    var script = document.createElement("script");
    script.src = data.js;
    load(css, ready, fail);
    load(script, ready, fail);
  });
})();
