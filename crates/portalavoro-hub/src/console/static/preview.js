// Keeps the preview in step with the announcement form as staff type: the
// level, and the text in the language chosen above the preview (falling
// back to Italian where that language is empty, as a kiosk does). Without
// this script the preview shows what the page was drawn with.
(function () {
  var form = document.getElementById("compose");
  if (!form) return;
  var screens = document.querySelectorAll(".preview .screen");
  var fallback = document.getElementById("preview-fallback");
  function chosen() {
    var radio = document.querySelector("input[name=preview_lang]:checked");
    return radio || document.querySelector("input[name=preview_lang]");
  }
  function update() {
    var level = form.querySelector("input[name=level]:checked");
    var urgent = level && level.value === "urgent";
    var lang = chosen();
    var tag = lang ? lang.value : "it";
    var field = form.querySelector("[name=text_" + tag + "]");
    var text = field ? field.value.trim() : "";
    var fellBack = !text && tag !== "it";
    if (!text) {
      text = form.querySelector("[name=text_it]").value.trim();
    }
    var shown = fellBack ? "it" : tag;
    fallback.hidden = !fellBack;
    screens.forEach(function (screen) {
      screen.className = "screen " + (urgent ? "urgent" : "info");
      screen.setAttribute("lang", shown);
      screen.setAttribute("dir", shown === "ar" ? "rtl" : "ltr");
      screen.querySelectorAll(".ptext").forEach(function (p) { p.textContent = text; });
      if (lang) {
        screen.querySelector(".ptitle").textContent = lang.dataset.title;
        screen.querySelector(".pclose").textContent = lang.dataset.dismiss;
      }
    });
  }
  form.addEventListener("input", update);
  form.addEventListener("change", update);
  document.querySelectorAll("input[name=preview_lang]").forEach(function (r) {
    r.addEventListener("change", update);
  });
  update();
})();
