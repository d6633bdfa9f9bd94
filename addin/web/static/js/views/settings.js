// Settings: the language (French by default, English), what the server says
// about the model in use, who is signed in, sign-in / sign-out when configured.

import { h, replace, uid } from "../dom.js";
import { t, getLanguage, languages } from "../i18n.js";

const languageNames = { fr: "Français", en: "English" };

/** modelLines describes /me "models" as text lines ([] with offline=true when none). */
export function modelLines(me) {
  const models = me && Array.isArray(me.models) ? me.models : [];
  return models.map((m) => {
    const cleared = Array.isArray(m.cleared) && m.cleared.length ? t("settings.modelCleared", { labels: m.cleared.join(", ") }) : t("settings.modelNotCleared");
    return (m.model || m.name || "?") + (m.name && m.model && m.name !== m.model ? " (" + m.name + ")" : "") + " — " + cleared;
  });
}

/** createSettingsView returns {el, setMe(me)}. */
export function createSettingsView(ctx) {
  const langId = uid("lang");
  const lang = h(
    "select",
    { id: langId, name: "language" },
    languages.map((l) => h("option", { value: l, lang: l, selected: l === getLanguage() }, languageNames[l])),
  );
  lang.addEventListener("change", () => ctx.setLanguage(lang.value));
  const info = h("div", { "data-role": "settings-info" });
  const authRow = h("div", { class: "buttons" });
  const status = h("p", { class: "status", role: "status", "aria-live": "polite" });
  const el = h("section", { class: "view" }, h("div", { class: "field" }, h("label", { for: langId }, t("settings.language")), lang), info, authRow, status);

  const auth = ctx.host.auth;
  if (auth && auth.available) {
    const signIn = h("button", { type: "button", class: "btn btn--secondary" }, t("settings.signIn"));
    const signOut = h("button", { type: "button", class: "btn btn--tertiary" }, t("settings.signOut"));
    signIn.addEventListener("click", async () => {
      try {
        await auth.signIn();
        await ctx.reload();
      } catch {
        status.textContent = t("auth.failed");
      }
    });
    signOut.addEventListener("click", async () => {
      await auth.signOut();
      status.textContent = t("auth.needed");
    });
    replace(authRow, signIn, signOut);
  } else if (auth && auth.mode && auth.mode !== "none") {
    replace(authRow, h("p", { class: "hint" }, t("auth.notAvailable")));
  }

  return {
    el,
    setMe(me) {
      const lines = modelLines(me);
      replace(
        info,
        h("h3", {}, t("settings.model")),
        lines.length ? h("ul", { "data-role": "models" }, lines.map((l) => h("li", {}, l))) : h("p", { "data-role": "models" }, t("settings.offline")),
        me && me.user ? h("p", {}, t("settings.user", { user: me.user })) : null,
        me && me.demo ? h("p", { class: "badge" }, t("settings.demo")) : null,
        ctx.host.apiBase ? h("p", { class: "hint" }, t("settings.server") + " : " + ctx.host.apiBase) : null,
      );
    },
  };
}
